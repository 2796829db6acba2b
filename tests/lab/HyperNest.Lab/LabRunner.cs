using System.Diagnostics;
using HyperNest.Lab.Initramfs;
using HyperNest.Emulation;
using HyperNest.Emulation.Image;
using HyperNest.Lab.Qemu;
using HyperNest.Lab.Serial;

namespace HyperNest.Lab;

/// <summary>
/// Assembles the lab (packages, initramfs images), boots it under QEMU and turns the serial console into a verdict.
/// Progress goes to stderr; stdout carries only the verdict line and, for --shell-cmd, the command's output.
/// </summary>
public sealed class LabRunner
{
    public static readonly TimeSpan ShellCommandTimeout = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan GuestCheckTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The inner guest's memory in --guest-check, as the scenarios give it with --memory 256M.</summary>
    public const int GuestMemoryMiB = 256;

    private readonly LabPaths _paths;
    private readonly LabOptions _options;

    public LabRunner(LabPaths paths, LabOptions options)
    {
        _paths = paths;
        _options = options;
    }

    public static void Log(string message) => Console.Error.WriteLine($"lab: {message}");

    /// <summary>tests/lab/run &lt;scenario&gt;: PASS exits 0, FAIL exits 1 and keeps the serial log.</summary>
    public int RunScenario(string name)
    {
        Scenario scenario;
        try
        {
            scenario = Scenario.Load(_paths, name);
        }
        catch (LabException failure)
        {
            return Print(name, new Verdict(false, failure.Message), log: null);
        }

        return Boot(scenario, Judge);
    }

    /// <summary>
    /// tests/lab/run --shell-cmd: the command's output on stdout and its exit code as ours; a FAIL line (exit 1)
    /// only when the lab itself did not get the command run.
    /// </summary>
    public int RunShellCommand(string command)
    {
        var scenario = new Scenario("shell-cmd", ShellCommandScript(command), NeedsHnest: true, ShellCommandTimeout);
        int commandExitCode = 0;
        int result = Boot(scenario, serial =>
        {
            foreach (string line in serial.ShellOutput)
            {
                Console.WriteLine(line);
            }

            if (serial.ShellExitCode is not int exitCode)
            {
                return Judge(serial) with { Passed = false };
            }

            Log($"the command exited with {exitCode}");
            commandExitCode = exitCode;
            return new Verdict(true, "");
        }, printPass: false);
        return result == 0 ? commandExitCode : result;
    }

    /// <summary>
    /// tests/lab/run --guest-check: the inner guest's kernel and initramfs booted straight under TCG (no lab, no
    /// hnest), to prove the guest side of a scenario on its own.
    /// </summary>
    public int RunGuestCheck(string guestScenario)
    {
        string label = $"guest-check {guestScenario}";
        return Report(label, () =>
        {
            LinuxKernel kernel = PrepareKernel();
            string initrd = BuildGuestInitrd(kernel);
            // The same base words as GUEST_APPEND_BASE in tests/lab/init/lab-lib.sh (tsc_early_khz comes with QemuCommand).
            string append = $"console=ttyS0 panic=-1 quiet hnest.scenario={guestScenario} {_options.GuestAppend}".Trim();
            IReadOnlyList<string> qemu = QemuCommand.Guest(kernel.Vmlinuz, initrd, append, _options.Cpus, GuestMemoryMiB, _options.Disk, _options.DiskReadOnly);
            var serial = new SerialLog(SerialLog.GuestResultMarker);
            return (Launch(qemu, serial, label, _options.Timeout ?? GuestCheckTimeout), Judge(serial));
        });
    }

    /// <summary>
    /// tests/lab/run --emulated: the guest scenario's kernel and initramfs under <c>hnest run --accel emulated</c> on
    /// this host — the product's emulated host, not the lab's — judged by the guest's verdict and hnest's exit code
    /// (0). The guest's console is the command's output, as a user sees it.
    /// </summary>
    public int RunEmulated(string guestScenario)
    {
        string label = $"emulated {guestScenario}";
        return Report(label, () =>
        {
            LinuxKernel kernel = PrepareKernel();
            string initrd = BuildGuestInitrd(kernel);
            string hnest = HnestBinary.Locate(_paths, Log);
            string append = $"console=ttyS0 panic=-1 quiet hnest.scenario={guestScenario} {_options.GuestAppend}".Trim();
            var arguments = new List<string>
            {
                "run", "--accel", "emulated", "--kernel", kernel.Vmlinuz, "--initrd", initrd, "--append", append,
                "--memory", _options.Memory, "--cpus", _options.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (_options.Disk is not null)
            {
                arguments.AddRange(["--disk", _options.Disk + (_options.DiskReadOnly ? ",readonly" : "")]);
            }

            if (_options.Nic is not null)
            {
                arguments.AddRange(["--nic", _options.Nic]);
            }

            string log = Path.Combine(_paths.Logs, $"{label.Replace(' ', '-')}-{DateTime.Now:yyyyMMdd-HHmmss}.log");
            Log($"{hnest} {string.Join(' ', arguments)}");
            var clock = Stopwatch.StartNew();
            ProcessRunner.Result result = ProcessRunner.Run(hnest, arguments);
            File.WriteAllText(log, $"# exit code {result.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s\n{result.StandardOutput}\n# stderr\n{result.StandardError}");
            Log($"hnest exited with {result.ExitCode} after {clock.Elapsed.TotalSeconds:F1} s");
            var serial = new SerialLog(SerialLog.GuestResultMarker);
            foreach (string line in result.StandardOutput.Split('\n'))
            {
                serial.Accept(line.TrimEnd('\r'));
            }

            Verdict verdict = result.ExitCode != 0
                ? new Verdict(false, $"hnest exited with {result.ExitCode}: {result.StandardError.Trim().Split('\n').LastOrDefault()}")
                : Judge(serial);
            return (log, verdict);
        });
    }

    private int Boot(Scenario scenario, Func<SerialLog, Verdict> judge, bool printPass = true) => Report(scenario.Name, () =>
    {
        LinuxKernel kernel = PrepareKernel();
        var modules = new KernelModules(kernel.ModulesDirectory);
        LabInitramfs.HnestPayload? payload = scenario.NeedsHnest ? PreparePayload(kernel, scenario) : null;
        string image = Path.Combine(_paths.CacheDirectory("images"), $"{scenario.Name}.cpio");
        LabInitramfs.Build(_paths, modules, scenario.Name, scenario.Script, payload, image, scenario.NeedsQemu, scenario.NeedsQemuImg);

        var serial = new SerialLog(SerialLog.LabResultMarker);
        string log = Launch(QemuCommand.Lab(kernel.Vmlinuz, image), serial, scenario.Name, _options.Timeout ?? scenario.Timeout);
        return (log, judge(serial));
    }, printPass);

    /// <summary>Runs one QEMU boot; the timeout becomes the verdict when it strikes.</summary>
    private string Launch(IReadOnlyList<string> qemu, SerialLog serial, string label, TimeSpan timeout)
    {
        string log = Path.Combine(_paths.Logs, $"{label.Replace(' ', '-')}-{DateTime.Now:yyyyMMdd-HHmmss}.log");
        Log($"booting {label} (timeout {timeout.TotalSeconds:F0} s)");
        QemuRun run = QemuLauncher.Run(qemu, log, serial, timeout, _options.Verbose ? Console.Error.WriteLine : null);
        string init = run.InitReachedAfter is TimeSpan t ? $"init after {t.TotalSeconds:F1} s, " : "";
        Log($"{init}qemu ran {run.Elapsed.TotalSeconds:F1} s");
        if (run.TimedOut && serial.Verdict is null)
        {
            throw new LabTimeoutException(log, $"timeout after {timeout.TotalSeconds:F0} s");
        }

        return log;
    }

    /// <summary>The verdict from the console, or why there is none.</summary>
    private static Verdict Judge(SerialLog serial) => serial.Verdict ?? new Verdict(false,
        serial.Panic is not null ? $"kernel panic: {serial.Panic}"
        : !serial.InitReached ? "QEMU exited before init ran"
        : "powered off without a verdict line");

    private static int Report(string label, Func<(string Log, Verdict Verdict)> run, bool printPass = true)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            (string log, Verdict verdict) = run();
            Log($"wall time {clock.Elapsed.TotalSeconds:F1} s");
            return Print(label, verdict, log, printPass);
        }
        catch (LabTimeoutException timeout)
        {
            return Print(label, new Verdict(false, timeout.Message), timeout.Log);
        }
        catch (Exception failure) when (failure is LabException or EmulationException)
        {
            return Print(label, new Verdict(false, failure.Message), log: null);
        }
        catch (Exception unexpected) when (unexpected is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine(unexpected);
            return Print(label, new Verdict(false, $"{unexpected.GetType().Name}: {unexpected.Message}"), log: null);
        }
    }

    private static int Print(string label, Verdict verdict, string? log, bool printPass = true)
    {
        if (verdict.Passed)
        {
            if (log is not null)
            {
                // Benchmark scenarios report their figures as "BENCH ..." lines; they outlive the deleted log.
                foreach (string line in File.ReadLines(log).Where(l => l.StartsWith("BENCH ", StringComparison.Ordinal)))
                {
                    Console.WriteLine(line.TrimEnd('\r'));
                }

                File.Delete(log);
            }

            if (printPass)
            {
                Console.WriteLine($"PASS {label}");
            }

            return 0;
        }

        Console.WriteLine($"FAIL {label}: {verdict.Reason}");
        if (log is not null)
        {
            Console.WriteLine($"serial log: {log}");
        }

        return 1;
    }

    private LinuxKernel PrepareKernel()
    {
        // Always Debian's cloud kernel (not this host's): the lab's guests and scenarios are written for it.
        return new KernelSource(_paths.Cache, Log).Fetched();
    }

    private string BuildGuestInitrd(LinuxKernel kernel)
    {
        string initrd = Path.Combine(_paths.CacheDirectory("images"), "guest-initrd.cpio");
        GuestInitramfs.Build(_paths, new KernelModules(kernel.ModulesDirectory), initrd);
        return initrd;
    }

    /// <summary>hnest, the guest kernel and the guest initramfs; --shell-cmd goes on without them if hnest cannot be had.</summary>
    private LabInitramfs.HnestPayload? PreparePayload(LinuxKernel kernel, Scenario scenario)
    {
        string hnest;
        try
        {
            hnest = HnestBinary.Locate(_paths, Log);
        }
        catch (Exception failure) when (failure is LabException or EmulationException && _options.ShellCommand is not null)
        {
            Log($"carrying no hnest: {failure.Message}");
            return null;
        }
        catch (Exception failure) when (failure is LabException or EmulationException)
        {
            throw new LabException($"{scenario.Name} needs hnest: {failure.Message}");
        }

        var payload = new LabInitramfs.HnestPayload(hnest, kernel.Vmlinuz, BuildGuestInitrd(kernel));
        if (!scenario.NeedsNestedGuest)
        {
            return payload;
        }

        string nested = Path.Combine(_paths.CacheDirectory("images"), "nested-guest-initrd.cpio");
        GuestInitramfs.Build(_paths, new KernelModules(kernel.ModulesDirectory), nested, payload);
        return payload with { NestedGuestInitrd = nested };
    }

    /// <summary>The --shell-cmd command as a scenario: its output between markers, then its exit code.</summary>
    private static string ShellCommandScript(string command) => $$"""
        lab_shell_command() {
        {{command}}
        }
        echo {{SerialLog.ShellBeginMarker}}
        ( lab_shell_command ) 2>&1
        echo "{{SerialLog.ShellEndMarker}} $?"
        lab_pass

        """;
}
