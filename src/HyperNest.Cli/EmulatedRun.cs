using HyperNest.Worker;
using HyperNest.Worker.Network;
using HyperNest.Management.Store;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using HyperNest.Emulation;
using HyperNest.Kvm;
using HyperNest.Vmm;

namespace HyperNest.Cli;

/// <summary>
/// <c>hnest run</c> on the emulated accelerator: the same VM run by the hnest inside an emulated host, with this
/// process as its terminal. The guest's console comes back on stdout, keystrokes go in raw, SIGTERM reaches the inner
/// hnest (the ACPI power button; a second one cuts), Ctrl-] and SIGINT stop the VM (130), and the inner hnest's exit
/// code is this one's. The emulated host's own console goes to a log named in any error.
/// </summary>
public static class EmulatedRun
{
    /// <summary>How long a Ctrl-] or SIGINT waits for the inner hnest to stop before the emulated host is cut.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>The init script's exit code for its own failure (no KVM inside, no ports).</summary>
    private const int InitFailure = 125;

    private const int KeepLogs = 10;

    /// <param name="config">The VM.</param>
    /// <param name="adapters">Its network adapters, or none.</param>
    /// <param name="stderr">Where hnest's own lines go.</param>
    /// <param name="restartOnReboot">A reboot of the guest restarts it inside the same emulated host (--on-reboot restart).</param>
    public static int Run(VmConfig config, IReadOnlyList<AdapterPlan> adapters, TextWriter stderr, bool restartOnReboot = false)
    {
        // Until the emulated host runs there is no VM to shut down: SIGTERM or SIGINT end the command at once, as an
        // interruption (the image build leaves nothing half-written: it is renamed into place when complete).
        Action<PosixSignal> onSignal = _ => Environment.Exit(ExitCodes.Interrupted);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, e =>
        {
            e.Cancel = true;
            onSignal(e.Signal);
        });
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, e =>
        {
            e.Cancel = true;
            onSignal(e.Signal);
        });

        string log = LogPath();
        EmulatedPorts? ports = adapters.Count == 0 ? null
            : EmulatedPorts.Plan(adapters, AdapterPlan.ForegroundTapPrefix, HostPortPlumbing.For(VmStore.OpenDefault()));
        EmulatedHostLaunch launch = EmulatedVm.Prepare(
            config, ports, EmulatedChannel.Signals, log, message => stderr.WriteLine($"hnest: {message}"), restartOnReboot: restartOnReboot);
        using EmulatedHost host = EmulatedHost.Start(launch);
        ports?.Attach();
        using Stream stdout = StandardStream.Open(StandardStream.Output);
        using Stream errors = StandardStream.Open(StandardStream.Error);
        Thread consoleOut = StreamRelay.Start(host.Console, stdout, "console-out");
        Thread errorOut = StreamRelay.Start(host.Errors, errors, "inner-stderr");
        var control = new ControlLines(host.Control);

        int stopRequested = 0;
        void Stop()
        {
            // The inner hnest stops on Ctrl-] as on kvm; should it not (still booting, wedged), the host is cut.
            if (Interlocked.Exchange(ref stopRequested, 1) == 0)
            {
                TrySend(host.Console, [ConsoleInputPump.EscapeKey]);
                var cut = new Thread(() =>
                {
                    if (!host.WaitForExit(StopGrace))
                    {
                        host.Kill("stopped from the console");
                    }
                }) { IsBackground = true, Name = "stop-grace" };
                cut.Start();
            }
        }

        using RawTerminal terminal = RawTerminal.Enter();
        var input = new Thread(() => ForwardInput(host.Console, Stop)) { IsBackground = true, Name = "console-in" };
        input.Start();
        // From here SIGTERM reaches the inner hnest (the power button; a second one cuts), SIGINT stops the VM.
        onSignal = signal =>
        {
            if (signal == PosixSignal.SIGTERM)
            {
                control.Send("TERM");
            }
            else
            {
                Stop();
            }
        };

        host.WaitForExit();
        consoleOut.Join(TimeSpan.FromSeconds(5));
        errorOut.Join(TimeSpan.FromSeconds(5));
        control.Join(TimeSpan.FromSeconds(5));
        terminal.Dispose();

        if (control.ExitCode is int code && code != InitFailure)
        {
            return code;
        }

        if (stopRequested == 1 && host.StopReason is not null)
        {
            return ExitCodes.Interrupted;
        }

        string why = control.ExitCode == InitFailure ? $"the emulated host failed: {control.ExitDetail}"
            : host.StopReason ?? $"the emulated host ended before the VM did: {host.Describe()}";
        throw new EmulationException($"{why} (where it got to: '{host.LastProgress}'; its console: {host.LogPath})");
    }

    /// <summary>A new log under the cache for this run; the oldest beyond the last few are removed.</summary>
    private static string LogPath()
    {
        string directory = CacheFolders.Create(StoreLocation.ResolveCache(), "logs");
        foreach (string old in Directory.GetFiles(directory, "emulated-host-*.log").Order(StringComparer.Ordinal).SkipLast(KeepLogs - 1))
        {
            File.Delete(old);
        }

        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return Path.Combine(directory, $"emulated-host-{stamp}-{Environment.ProcessId}.log");
    }

    /// <summary>stdin to the inner hnest's console, raw; Ctrl-] is passed on and also starts the stop fallback.</summary>
    private static void ForwardInput(Stream console, Action stop)
    {
        // fd 0 directly: .NET's console stream would apply its own terminal handling on top of raw mode.
        using Stream input = StandardStream.Open(StandardStream.Input);
        var buffer = new byte[256];
        int read;
        try
        {
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                int escape = Array.IndexOf(buffer, ConsoleInputPump.EscapeKey, 0, read);
                if (escape >= 0)
                {
                    TrySend(console, buffer.AsSpan(0, escape).ToArray());
                    stop();
                    return;
                }

                if (!TrySend(console, buffer.AsSpan(0, read).ToArray()))
                {
                    return;
                }
            }
        }
        catch (IOException)
        {
            // stdin closed or unreadable: the VM goes on without input, as on kvm.
        }
    }

    private static bool TrySend(Stream stream, byte[] data)
    {
        try
        {
            stream.Write(data);
            stream.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The control port in signal mode: signal names out, the init script's "EXIT &lt;code&gt; [detail]" in.</summary>
    private sealed class ControlLines
    {
        private readonly Stream _port;
        private readonly Thread _reader;

        public ControlLines(Stream port)
        {
            _port = port;
            _reader = new Thread(Read) { IsBackground = true, Name = "control-lines" };
            _reader.Start();
        }

        public int? ExitCode { get; private set; }

        public string? ExitDetail { get; private set; }

        public void Send(string signal) => TrySend(_port, Encoding.ASCII.GetBytes(signal + "\n"));

        public void Join(TimeSpan timeout) => _reader.Join(timeout);

        private void Read()
        {
            using var reader = new StreamReader(_port, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 256, leaveOpen: true);
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    string[] words = line.Split(' ', 3);
                    if (words is ["EXIT", _, ..] && int.TryParse(words[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int code))
                    {
                        ExitDetail = words.Length > 2 ? words[2] : null;
                        ExitCode = code;
                    }
                }
            }
            catch (IOException)
            {
                // QEMU closed the socket.
            }
        }
    }
}
