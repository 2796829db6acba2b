using System.Diagnostics;
using System.Text;
using HyperNest.Emulation;
using HyperNest.Emulation.Image;
using HyperNest.Lab.Serial;

namespace HyperNest.Lab.Qemu;

/// <summary>
/// Runs QEMU with the serial console on stdout, copies every byte to a log file, feeds lines to a
/// <see cref="SerialLog"/>, and kills QEMU at the timeout. QEMU normally exits by itself when the guest powers off
/// (-no-reboot turns a reboot or panic into an exit too); after a verdict it gets a short grace to do so.
/// </summary>
public static class QemuLauncher
{
    public static readonly TimeSpan GraceAfterVerdict = TimeSpan.FromSeconds(10);

    public static QemuRun Run(IReadOnlyList<string> arguments, string logPath, SerialLog serial, TimeSpan timeout, Action<string>? echo = null)
    {
        var start = new ProcessStartInfo(QemuPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var log = new StreamWriter(logPath, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        log.WriteLine($"# qemu-system-x86_64 {string.Join(' ', arguments.Select(Quote))}");
        var clock = Stopwatch.StartNew();
        TimeSpan? initReachedAfter = null;
        var gate = new object();

        using Process process = Process.Start(start) ?? throw new LabException("could not start qemu-system-x86_64");
        var stdout = new Thread(() => ConsoleLines.Read(process.StandardOutput, line =>
        {
            lock (gate)
            {
                log.WriteLine(line);
                serial.Accept(line);
                echo?.Invoke(line);
                if (serial.InitReached && initReachedAfter is null)
                {
                    initReachedAfter = clock.Elapsed;
                }
            }
        })) { IsBackground = true };
        var stderr = new Thread(() => ConsoleLines.Read(process.StandardError, line =>
        {
            lock (gate)
            {
                log.WriteLine($"qemu: {line}");
            }
        })) { IsBackground = true };
        stdout.Start();
        stderr.Start();

        bool timedOut = !WaitForExit(process, serial, timeout, clock);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        stdout.Join(TimeSpan.FromSeconds(5));
        stderr.Join(TimeSpan.FromSeconds(5));
        lock (gate)
        {
            log.WriteLine($"# qemu {(timedOut ? "killed at the timeout" : $"exited with {process.ExitCode}")} after {clock.Elapsed.TotalSeconds:F1} s");
            return new QemuRun(timedOut, timedOut ? -1 : process.ExitCode, clock.Elapsed, initReachedAfter);
        }
    }

    /// <summary>False on timeout. A verdict shortens the wait to the grace period; QEMU is killed after it either way.</summary>
    private static bool WaitForExit(Process process, SerialLog serial, TimeSpan timeout, Stopwatch clock)
    {
        TimeSpan? verdictAt = null;
        while (!process.WaitForExit(100))
        {
            if (serial.Verdict is not null)
            {
                verdictAt ??= clock.Elapsed;
                if (clock.Elapsed - verdictAt > GraceAfterVerdict)
                {
                    return true;
                }
            }
            else if (clock.Elapsed > timeout)
            {
                return false;
            }
        }

        return true;
    }

    private static string QemuPath() => HostTools.Qemu();

    private static string Quote(string argument) => argument.Contains(' ') ? $"'{argument}'" : argument;
}
