using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using HyperNest.Emulation.Image;
using HyperNest.Emulation.Qemu;
using HyperNest.Kvm;

namespace HyperNest.Emulation;

/// <summary>
/// A running emulated host: QEMU (TCG) booting the HyperNest image, whose init runs one hnest on the host's real
/// KVM inside. Three virtio-serial ports reach this process as Unix sockets it listens on: <see cref="Console"/>
/// (the inner hnest's stdin/stdout), <see cref="Errors"/> (its stderr) and <see cref="Control"/> (signals or the
/// control protocol one way, "EXIT &lt;code&gt;" the other). QEMU's own stdout is the emulated host's serial
/// console: it goes to the log, and its heartbeat feeds a watchdog that ends a host that stops making progress.
/// </summary>
public sealed class EmulatedHost : IDisposable
{
    /// <summary>RAM the emulated host needs beyond the VM's: its kernel, the unpacked image, hnest itself.</summary>
    public const ulong OverheadMiB = 320;

    /// <summary>How long the emulated host may take to send its first heartbeat (kernel boot to init).</summary>
    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long a running emulated host may go without a heartbeat (init prints one every 2 s).</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private const string ProgressPrefix = "hnest-emulated-host: ";
    private const string RunDirectoryPrefix = "hnest-emulated-";
    private const string HeartbeatWord = "heartbeat";

    private readonly Process _qemu;
    private readonly string _runDirectory;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _qemuErrors = [];
    private readonly Thread _serial;
    private readonly Thread _stderr;
    private readonly Thread _watchdog;
    private readonly ManualResetEventSlim _exited = new();
    private readonly Socket[] _ports;
    private TimeSpan? _lastHeartbeat;
    private string _lastLine = "";
    private string? _stopReason;
    private int _exitLogged;
    private bool _disposed;

    private EmulatedHost(Process qemu, string runDirectory, StreamWriter log, Socket[] ports, string logPath)
    {
        LogPath = logPath;
        _qemu = qemu;
        _runDirectory = runDirectory;
        _log = log;
        _ports = ports;
        Console = new NetworkStream(ports[0], ownsSocket: false);
        Errors = new NetworkStream(ports[1], ownsSocket: false);
        Control = new NetworkStream(ports[2], ownsSocket: false);
        _serial = new Thread(ReadSerial) { IsBackground = true, Name = "emulated-host-serial" };
        _stderr = new Thread(ReadQemuErrors) { IsBackground = true, Name = "emulated-host-qemu-stderr" };
        _watchdog = new Thread(Watch) { IsBackground = true, Name = "emulated-host-watchdog" };
    }

    /// <summary>The inner hnest's stdin and stdout.</summary>
    public Stream Console { get; }

    /// <summary>The inner hnest's stderr.</summary>
    public Stream Errors { get; }

    /// <summary>Lines both ways: to the inner side (signals, or the control protocol), "EXIT &lt;code&gt;" back.</summary>
    public Stream Control { get; }

    public int QemuProcessId => _qemu.Id;

    /// <summary>Why this process ended the emulated host (watchdog, <see cref="Kill"/>); null if it ended by itself.</summary>
    public string? StopReason => _stopReason;

    /// <summary>The emulated host's console log.</summary>
    public string LogPath { get; }

    /// <summary>Where init got to: its last progress line (heartbeats aside).</summary>
    public string LastProgress { get { lock (_gate) { return _lastLine; } } }

    /// <summary>What QEMU printed on stderr, for an error message when it fails to start or dies.</summary>
    public string QemuErrors { get { lock (_gate) { return string.Join(" | ", _qemuErrors.Where(l => !IsCpuModelWarning(l)).TakeLast(3)); } } }

    /// <summary>
    /// "warning: TCG doesn't support requested feature: ...": the CPU model names features TCG leaves out. The
    /// guest sees them absent, which is harmless; they stay in the log but say nothing about why QEMU stopped.
    /// </summary>
    private static bool IsCpuModelWarning(string line) => line.Contains("TCG doesn't support requested feature", StringComparison.Ordinal);

    /// <summary>
    /// Starts QEMU and waits until it has connected the three ports. Throws <see cref="EmulationException"/> when
    /// QEMU is missing or exits first (its own error message is in the exception).
    /// </summary>
    public static EmulatedHost Start(EmulatedHostLaunch launch)
    {
        string qemuPath = HostTools.Qemu();
        RemoveAbandonedRunDirectories();
        string runDirectory = Directory.CreateTempSubdirectory($"{RunDirectoryPrefix}{Environment.ProcessId}-").FullName;
        var listeners = new List<Socket>();
        var ports = new Socket[QemuCommand.PortNames.Length];
        Process? qemu = null;
        StreamWriter? log = null;
        try
        {
            var sockets = new List<string>();
            foreach (string name in QemuCommand.PortNames)
            {
                string path = Path.Combine(runDirectory, $"{name}.sock");
                var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                listeners.Add(listener);
                // In a 0700 run directory (mkdtemp), and 0600 itself: QEMU, this user's, is the only one to connect.
                HostFileAccess.OwnerOnly.Bind(listener, new UnixDomainSocketEndPoint(path));
                listener.Listen(1);
                sockets.Add(path);
            }

            string initramfs = Path.Combine(runDirectory, "initramfs.cpio");
            launch.Payload.WriteInitramfs(launch.Image.Initramfs, initramfs);
            ulong payloadMiB = (ulong)(launch.Payload.FileBytes >> 20);
            ulong memoryMiB = ((launch.GuestMemoryBytes + (1UL << 20) - 1) >> 20) + OverheadMiB + (2 * payloadMiB);
            IReadOnlyList<string> arguments = QemuCommand.For(
                launch.Image.Kernel.Vmlinuz, initramfs, memoryMiB, launch.Cpus, sockets, launch.Disks, launch.Nics);

            log = new StreamWriter(launch.LogAccess.OpenFile(launch.LogPath, FileMode.Create), new UTF8Encoding(false)) { AutoFlush = true };
            log.WriteLine($"# {QemuCommand.CpuModel} emulated host: {qemuPath} {string.Join(' ', arguments)}");
            log.WriteLine($"# hnest {string.Join(' ', launch.Payload.Arguments)}");
            qemu = Process.Start(StartInfo(qemuPath, arguments))
                ?? throw new EmulationException($"could not start {qemuPath}");
            qemu.StandardInput.Close();

            for (int i = 0; i < ports.Length; i++)
            {
                ports[i] = Accept(listeners[i], qemu, QemuCommand.PortNames[i]);
            }

            var host = new EmulatedHost(qemu, runDirectory, log, ports, launch.LogPath);
            host._serial.Start();
            host._stderr.Start();
            host._watchdog.Start();
            return host;
        }
        catch (Exception e)
        {
            string qemuSaid = "";
            if (qemu is not null)
            {
                if (!qemu.HasExited)
                {
                    qemu.Kill(entireProcessTree: true);
                }

                qemu.WaitForExit();
                qemuSaid = qemu.StandardError.ReadToEnd().Trim().ReplaceLineEndings(" | ");
                log?.WriteLine($"# qemu: {qemuSaid}");
            }

            log?.Dispose();
            foreach (Socket port in ports.Where(p => p is not null))
            {
                port.Dispose();
            }

            Directory.Delete(runDirectory, recursive: true);
            if (e is EmulationException && qemuSaid.Length > 0)
            {
                throw new EmulationException($"{e.UserMessage()}: {qemuSaid}");
            }

            throw;
        }
        finally
        {
            foreach (Socket listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    /// <summary>Waits for QEMU to exit; true when it has (within <paramref name="timeout"/>, or at all when null).</summary>
    public bool WaitForExit(TimeSpan? timeout = null)
    {
        // Several threads wait (the run, a stop's grace period, Dispose): the process object is released only by
        // Dispose, after which everyone sees "exited".
        if (Volatile.Read(ref _disposed))
        {
            return true;
        }

        try
        {
            if (!(timeout is { } t ? _qemu.WaitForExit(t) : _qemu.WaitForExit(Timeout.Infinite)))
            {
                return false;
            }

            _qemu.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        _serial.Join(TimeSpan.FromSeconds(5));
        _stderr.Join(TimeSpan.FromSeconds(5));
        _exited.Set();
        if (Interlocked.Exchange(ref _exitLogged, 1) == 0)
        {
            lock (_gate)
            {
                _log.WriteLine($"# qemu exited with {_qemu.ExitCode} after {_clock.Elapsed.TotalSeconds:F1} s{(_stopReason is null ? "" : $": {_stopReason}")}");
            }
        }

        return true;
    }

    public bool HasExited => Volatile.Read(ref _disposed) || _qemu.HasExited;

    /// <summary>How QEMU ended, with what it said on stderr: for the stop reason of a host that died.</summary>
    public string Describe()
    {
        if (!_qemu.HasExited)
        {
            return "QEMU is still running";
        }

        // .NET reports a process ended by signal N as exit code 128 + N.
        string how = _qemu.ExitCode > 128 ? $"QEMU was killed by signal {_qemu.ExitCode - 128}" : $"QEMU exited with code {_qemu.ExitCode}";
        string said = QemuErrors;
        return said.Length > 0 ? $"{how} ({said})" : how;
    }

    /// <summary>Ends QEMU at once (a power cut of the emulated host and everything in it).</summary>
    public void Kill(string reason)
    {
        lock (_gate)
        {
            _stopReason ??= reason;
        }

        try
        {
            _qemu.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (!_qemu.HasExited)
        {
            Kill("the emulated host was disposed");
        }

        WaitForExit(TimeSpan.FromSeconds(10));
        foreach (Socket port in _ports)
        {
            port.Dispose();
        }

        _exited.Set();
        Volatile.Write(ref _disposed, true);
        _qemu.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }

        try
        {
            Directory.Delete(_runDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is not worth failing a run for.
        }
    }

    /// <summary>
    /// Run directories (sockets, this run's initramfs) are named hnest-emulated-&lt;pid&gt;-*: those whose hnest is
    /// gone (SIGKILLed, crashed) are removed by the next start.
    /// </summary>
    private static void RemoveAbandonedRunDirectories()
    {
        foreach (string directory in Directory.GetDirectories(Path.GetTempPath(), $"{RunDirectoryPrefix}*"))
        {
            string[] parts = Path.GetFileName(directory)[RunDirectoryPrefix.Length..].Split('-', 2);
            if (parts.Length == 2 && int.TryParse(parts[0], out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or in use: not ours to clean.
                }
            }
        }
    }

    private static ProcessStartInfo StartInfo(string qemuPath, IReadOnlyList<string> arguments)
    {
        // setsid (util-linux): QEMU gets a session of its own, so a signal to hnest's process group (Ctrl-C on the
        // terminal, `timeout`, kill -TERM -pgid) reaches hnest, which decides what the VM does, and not QEMU.
        // setpriv --pdeathsig ends QEMU with the thread that started it, should this process die without cleaning
        // up: an emulated host never outlives its hnest.
        var wrappers = new List<string>();
        if (ProcessRunner.FindOnPath("setsid") is { } setsid)
        {
            wrappers.Add(setsid);
        }

        if (ProcessRunner.FindOnPath("setpriv") is { } setpriv)
        {
            wrappers.AddRange([setpriv, "--pdeathsig", "KILL", "--"]);
        }

        var start = new ProcessStartInfo(wrappers.Count > 0 ? wrappers[0] : qemuPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in wrappers.Skip(1).Concat(wrappers.Count > 0 ? [qemuPath] : []))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>QEMU connects each port's socket as it starts; it exiting first means it refused the command line.</summary>
    private static Socket Accept(Socket listener, Process qemu, string name)
    {
        using var cancel = new CancellationTokenSource(ConnectTimeout);
        ValueTask<Socket> accept = listener.AcceptAsync(cancel.Token);
        while (!accept.IsCompleted)
        {
            if (qemu.WaitForExit(50))
            {
                throw new EmulationException($"QEMU exited with {qemu.ExitCode} before the emulated host started");
            }
        }

        try
        {
            return accept.AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new EmulationException($"QEMU did not connect the {name} port within {ConnectTimeout.TotalSeconds:F0} s");
        }
    }

    private void ReadSerial() => ConsoleLines.Read(_qemu.StandardOutput, OnSerialLine);

    private void OnSerialLine(string line)
    {
        lock (_gate)
        {
            if (line.StartsWith(ProgressPrefix + HeartbeatWord, StringComparison.Ordinal))
            {
                _lastHeartbeat = _clock.Elapsed;
                return;
            }

            _log.WriteLine(line);
            if (line.Length > 0)
            {
                _lastLine = line.StartsWith(ProgressPrefix, StringComparison.Ordinal) ? line[ProgressPrefix.Length..] : line;
            }
        }
    }

    private void ReadQemuErrors()
    {
        while (_qemu.StandardError.ReadLine() is { } line)
        {
            lock (_gate)
            {
                _log.WriteLine($"# qemu: {line}");
                _qemuErrors.Add(line);
            }
        }
    }

    /// <summary>Ends an emulated host whose init stopped sending heartbeats, saying where it got to.</summary>
    private void Watch()
    {
        while (!_exited.Wait(TimeSpan.FromSeconds(1)) && !_qemu.HasExited)
        {
            string? reason = null;
            lock (_gate)
            {
                TimeSpan now = _clock.Elapsed;
                if (_lastHeartbeat is null && now > BootTimeout)
                {
                    reason = $"the emulated host did not reach its init within {BootTimeout.TotalSeconds:F0} s (last console line: '{_lastLine}')";
                }
                else if (_lastHeartbeat is { } beat && now - beat > HeartbeatTimeout)
                {
                    reason = $"the emulated host stopped making progress: no heartbeat for {HeartbeatTimeout.TotalSeconds:F0} s (last console line: '{_lastLine}')";
                }
            }

            if (reason is not null)
            {
                Kill(reason);
                return;
            }
        }
    }
}
