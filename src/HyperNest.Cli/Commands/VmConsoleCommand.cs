using System.CommandLine;
using System.Diagnostics;
using HyperNest.Kvm;
using System.Text;
using HyperNest.Management;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest vm console NAME</c>: prints the guest's serial output so far, follows it, and sends stdin to the guest
/// (raw, when stdin is a terminal). Ctrl-] detaches; the command also ends when the VM is off.
/// </summary>
internal static class VmConsoleCommand
{
    private const byte DetachKey = ConsoleInputPump.EscapeKey;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        Argument<string> name = VmCli.NameArgument();
        return VmCli.Verb("console", "Attach to a VM's serial console (Ctrl-] detaches)", parse => Attach(VmCli.Manager(), parse.GetValue(name)!, stdout, stderr), name);
    }

    private static void Attach(VmManager manager, string name, TextWriter stdout, TextWriter stderr)
    {
        string log = manager.GetConsoleLogPath(name);
        using RawTerminal terminal = RawTerminal.Enter();
        if (RawTerminal.IsTerminal(0))
        {
            stderr.WriteLine("hnest: attached to the console of '" + name + "' (Ctrl-] detaches)\r");
        }

        using var detached = new ManualResetEventSlim();
        var input = new Thread(() => ForwardInput(manager, name, detached)) { IsBackground = true, Name = "console-stdin" };
        input.Start();
        Follow(manager, name, log, stdout, detached);
    }

    /// <summary>Prints a VM's file (console.log, worker.log) from the start and follows it until the VM is off or <paramref name="detached"/> is set.</summary>
    internal static void Follow(VmManager manager, string name, string log, TextWriter stdout, ManualResetEventSlim detached)
    {
        Decoder decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        long position = 0;
        var lastCheck = Stopwatch.StartNew();
        bool off = false;
        while (!detached.IsSet)
        {
            if (VmManager.OpenLog(name, log) is { } stream)
            {
                using (stream)
                {
                    stream.Position = Math.Min(position, stream.Length);
                    int read;
                    while ((read = stream.Read(bytes)) > 0)
                    {
                        int count = decoder.GetChars(bytes, 0, read, chars, 0);
                        stdout.Write(chars, 0, count);
                    }

                    position = stream.Position;
                    stdout.Flush();
                }
            }

            if (off)
            {
                return; // One last read after the VM went off: its final output is in.
            }

            if (lastCheck.ElapsedMilliseconds > 300)
            {
                off = manager.GetVm(name).State == VmState.Off;
                lastCheck.Restart();
            }

            detached.Wait(50);
        }
    }

    private static void ForwardInput(VmManager manager, string name, ManualResetEventSlim detached)
    {
        // fd 0 itself: .NET's console stream would put its line editor between the raw terminal and the guest.
        using Stream stdin = StandardStream.Open(StandardStream.Input);
        var buffer = new byte[256];
        int read;
        while ((read = stdin.Read(buffer)) > 0)
        {
            int detach = Array.IndexOf(buffer, DetachKey, 0, read);
            int length = detach < 0 ? read : detach;
            try
            {
                if (length > 0)
                {
                    manager.SendConsoleInput(name, buffer[..length]);
                }
            }
            catch (ManagementException)
            {
                // The VM stopped: the output side notices and ends.
            }

            if (detach >= 0)
            {
                detached.Set();
                return;
            }
        }
    }
}
