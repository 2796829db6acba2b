using HyperNest.Management.Accelerators;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Disks;
using System.Diagnostics;
using HyperNest.Kvm;
using HyperNest.Management.Memory;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// The one entry point both front ends (hnest and the PowerShell module) call: it reads and writes the store,
/// enforces Hyper-V's state table and settings rules, and starts and commands the VM workers. Every change to a
/// VM happens under that VM's lock, re-reading its config after taking it.
/// </summary>
public sealed partial class VmManager(VmStore store, WorkerLauncher launcher)
{
    /// <summary>
    /// How long Start waits for the worker to report Running: on the emulated accelerator that includes booting the
    /// emulated host (seconds) and, the first time, building its image (up to a minute).
    /// </summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan TurnOffTimeout = TimeSpan.FromSeconds(10);

    public VmStore Store { get; } = store;

    /// <summary>The default store, with workers started from the running hnest.</summary>
    public static VmManager OpenDefault() => new(VmStore.OpenDefault(), WorkerLauncher.ForCurrentProcess());

    public VmListResult GetVms()
    {
        StoreListing listing = Store.List();
        return new VmListResult([.. listing.Vms.Select(Info).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)], listing.Problems);
    }

    /// <summary>A VM by name (case-insensitive) or id.</summary>
    public VmInfo GetVm(string name) => Info(Find(name));

    public string GetConsoleLogPath(string name) => Store.Folder(Find(name).Id).ConsoleLog;

    /// <summary>The worker's log of a VM (worker.log): what hnest vm log shows.</summary>
    public string GetWorkerLogPath(string name) => Store.Folder(Find(name).Id).WorkerLog;

    /// <summary>
    /// A VM's log (<see cref="GetConsoleLogPath"/>, <see cref="GetWorkerLogPath"/>) opened to read while its worker
    /// writes it; null when it does not exist yet. Throws <see cref="HostPermissionException"/> naming the file when
    /// this process may not read it.
    /// </summary>
    public static FileStream? OpenLog(string name, string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            throw StoreAccess.FileDenied(name, path);
        }
    }

    public VmInfo NewVm(NewVmOptions options)
    {
        string name = VmValidation.ValidateName(options.Name);
        using FileLock storeLock = Store.LockStore();
        using FileLock? switchesLock = options.SwitchName is null ? null : Switches.Lock();
        StoreListing listing = Store.List();
        EnsureNameFree(listing, name, Guid.Empty);

        var defaults = new VmConfiguration { Id = Guid.NewGuid(), Name = name };
        ulong startup = options.MemoryStartupBytes ?? defaults.Memory.StartupBytes;
        var config = defaults with
        {
            CreationTime = DateTimeOffset.UtcNow,
            ProcessorCount = VmValidation.ValidateProcessorCount(name, options.ProcessorCount ?? 1, Environment.ProcessorCount),
            Memory = VmValidation.ApplyMemory(name, defaults.Memory with { MinimumBytes = Math.Min(startup, defaults.Memory.MinimumBytes) }, new MemoryChanges { StartupBytes = startup }),
            NetworkAdapters = [new VmNetworkAdapter { Name = "Network Adapter", MacAddress = MacPool().NewDynamic(UsedMacs(listing, null)), SwitchName = ConnectableSwitch(options.SwitchName) }],
            Accelerator = options.Accelerator,
            HardDrives = [.. options.DiskPaths.Select(p => new VmHardDiskDrive { Path = VhdManager.Attachable(p) })],
            Boot = options.Boot is null ? new VmBootSource() : VmValidation.ApplyBoot(new VmBootSource(), new BootChanges
            {
                KernelPath = options.Boot.KernelPath,
                InitrdPath = options.Boot.InitrdPath,
                KernelArguments = options.Boot.KernelArguments,
            }),
        };
        if (options.NewVhdPath is null)
        {
            if (options.NewVhdSizeBytes is not null)
            {
                throw new VmValidationException("A size for a new virtual hard disk needs its path (-NewVHDPath).");
            }

            Store.Save(config);
            return Info(config);
        }

        // The disk is made last, when everything else is valid, and goes again if the VM cannot be stored.
        VirtualHardDisk disk = new VhdManager(Store).New(new NewVhdOptions { Path = options.NewVhdPath, SizeBytes = options.NewVhdSizeBytes, Type = VhdType.Dynamic });
        config = config with { HardDrives = [.. config.HardDrives, new VmHardDiskDrive { Path = disk.Path }] };
        try
        {
            Store.Save(config);
        }
        catch
        {
            File.Delete(disk.Path);
            throw;
        }

        return Info(config);
    }

    /// <summary>
    /// Remove-VM: deletes the VM's folder, its checkpoints and the overlays they made included; its disk images only
    /// with <paramref name="deleteDisks"/>. A disk frozen by a checkpoint keeps the content it had then (remove the
    /// checkpoints first to merge the changes since into it).
    /// </summary>
    public void RemoveVm(string name, bool force = false, bool deleteDisks = false)
    {
        VmConfiguration found = Find(name);
        using FileLock vmLock = Store.LockVm(found.Id);
        VmConfiguration config = Store.Load(found.Id);
        Store.EnsureCanChange(Store.Folder(config.Id).Path);
        IReadOnlyList<string> disks = deleteDisks ? DisksToDelete(config) : [];
        RuntimeStatus status = RuntimeStatus.Read(Store.Folder(config.Id));
        if (status.State is not (VmState.Off or VmState.Saved))
        {
            if (!force)
            {
                throw new VmStateException($"'{config.Name}' is {status.State}: turn it off first, or force the removal (which turns it off).", status.State);
            }

            TurnOff(config, status);
        }

        foreach (string disk in disks)
        {
            File.Delete(disk);
        }

        Store.Delete(config.Id);
    }

    /// <summary>
    /// The images attached to the VM and those its checkpoints froze (the overlays HyperNest made go with its folder),
    /// each checked first: one that another VM, its checkpoints or a disk built on it still need refuses the whole
    /// removal before anything changes.
    /// </summary>
    private List<string> DisksToDelete(VmConfiguration config)
    {
        VmFolder folder = Store.Folder(config.Id);
        CheckpointTree tree = CheckpointTree.Read(folder);
        List<string> disks = [.. config.HardDrives.Concat(tree.Checkpoints.SelectMany(c => c.Configuration.HardDrives))
            .Select(d => d.Path).Where(p => !folder.HoldsOverlay(p)).Distinct()];
        var vhds = new Disks.VhdManager(Store);
        foreach (string disk in disks)
        {
            vhds.EnsureDeletable(disk, config.Id, "delete");
        }

        return disks;
    }

    /// <summary>Where Start learns whether this host can expose virtualization extensions (tests fabricate it).</summary>
    public Func<NestedHostVerdict> HostVerdict { get; init; } = () => NestedHostVerdict.Evaluate();

    /// <summary>Start-VM; a VM that exposes virtualization extensions gets the guide's checks first.</summary>
    public VmActionResult Start(string name)
    {
        VmActionResult result = StartVm(name);
        return result.Warning is null && NestedRules.StartWarning(result.Vm.Configuration) is { } warning
            ? result with { Warning = warning }
            : result;
    }

    private VmActionResult StartVm(string name) => Act(name, VmAction.Start, (config, status) =>
    {
        if (status.State == VmState.Paused)
        {
            Command(config, new ResumeRequest());
            return;
        }

        // From Saved, the worker finds the saved state and restores it instead of booting.
        EnsureHostHasMemory(config);
        AcceleratorChoice accelerator = AcceleratorSelector.Choose(
            config.Accelerator, linuxGuest: config.Boot.KernelPath is not null, nested: config.ExposeVirtualizationExtensions);
        NestedRules.EnsureCanStart(config, accelerator.Accelerator == Accelerator.Kvm ? HostVerdict : null);

        // The worker writes into the VM's folder as whoever starts it: a member of the sharing group controls running VMs but starts none.
        Store.EnsureCanChange(Store.Folder(config.Id).Path);
        Launch(config);
    });

    /// <summary>
    /// Hyper-V's "Not enough memory in the system to start the virtual machine": a VM boots with its Startup memory, so
    /// one that asks for more than the host has (MemTotal) does not start.
    /// </summary>
    private static void EnsureHostHasMemory(VmConfiguration config)
    {
        ulong host = Vmm.HostMemory.TotalBytes;
        if (host > 0 && config.Memory.StartupBytes > host)
        {
            throw new VmOperationException(
                $"Not enough memory in the system to start '{config.Name}': it starts with {config.Memory.StartupBytes >> 20} MB and this host has {host >> 20} MB.");
        }
    }

    /// <summary>Stop-VM: waits for the guest to shut down, or cuts the power with <see cref="StopOptions.TurnOff"/>.</summary>
    public VmActionResult Stop(string name, StopOptions? options = null)
    {
        options ??= new StopOptions();
        return Act(name, options.TurnOff ? VmAction.TurnOff : VmAction.Shutdown, (config, status) =>
        {
            if (options.TurnOff)
            {
                TurnOff(config, status);
                return;
            }

            Command(config, new ShutdownRequest { TimeoutSeconds = options.TimeoutSeconds });
            if (!WaitForExit(status, TimeSpan.FromSeconds(options.TimeoutSeconds)))
            {
                if (!options.Force)
                {
                    throw new VmOperationException(
                        $"The virtual machine did not shut down within {options.TimeoutSeconds} seconds; use Stop-VM -TurnOff");
                }

                TurnOff(config, RuntimeStatus.Read(Store.Folder(config.Id)));
            }
        });
    }

    /// <summary>
    /// Restart-VM of a Running or Paused VM. <see cref="RestartType.Reset"/>: a hard reset; the worker builds the VM
    /// again with the same settings, disks and ports and boots it, Running throughout (a Paused VM runs again), its
    /// uptime starting over. <see cref="RestartType.Reboot"/> is refused: HyperNest has no channel to ask the guest's
    /// OS to reboot. An Off or Saved VM is refused with Hyper-V's message.
    /// </summary>
    public VmActionResult Restart(string name, RestartType type = RestartType.Reset) => Act(name, VmAction.Restart, (config, status) =>
    {
        if (type == RestartType.Reboot)
        {
            throw new VmOperationException(
                $"'{config.Name}' cannot be rebooted by its guest's OS: HyperNest has no channel to ask it (no integration service, no keyboard to send Ctrl+Alt+Del); restart it with type Reset (a hard reset), or run reboot inside the guest.");
        }

        Command(config, new ResetRequest());

        // The worker answers before the VM is built again (inside an emulated host, a moment later): return once
        // runtime.json has the new run's start, so what the caller reads next is the restarted VM.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TurnOffTimeout
            && RuntimeStatus.Read(Store.Folder(config.Id)) is { Record: { IsLive: true } record } && record.StartedAt == status.Record?.StartedAt)
        {
            Thread.Sleep(20);
        }
    });

    public VmActionResult Suspend(string name) => Act(name, VmAction.Suspend, (config, _) => Command(config, new PauseRequest()));

    public VmActionResult Resume(string name) => Act(name, VmAction.Resume, (config, _) => Command(config, new ResumeRequest()));

    /// <summary>
    /// Save-VM: the worker pauses the VM, writes its state and memory to the VM's folder and ends; Start-VM continues
    /// it. A save that fails leaves the VM as it was (running or paused) and says why.
    /// </summary>
    public VmActionResult Save(string name) => Act(name, VmAction.Save, (config, status) =>
    {
        // A VM that hosts VMs is saved too, its own VMs running (lab scenario nested-save-restore): beyond Hyper-V.
        Command(config, new SaveRequest());
        if (!WaitForExit(status, TurnOffTimeout))
        {
            throw new VmOperationException($"'{config.Name}' was saved but its worker did not end within {TurnOffTimeout.TotalSeconds} seconds (hnest vm log {config.Name})");
        }
    });

    /// <summary>Remove-VMSavedState: the saved state is discarded; the VM is Off and boots on its next start.</summary>
    public VmActionResult RemoveSavedState(string name) => Act(name, VmAction.RemoveSavedState, (config, _) =>
    {
        Store.EnsureCanChange(Store.Folder(config.Id).Path);
        Store.Folder(config.Id).DeleteSavedState();
    });

    /// <summary>Sends bytes to the guest's serial console; returns how many it took.</summary>
    public int SendConsoleInput(string name, byte[] data)
    {
        VmConfiguration config = Find(name);
        VmState state = RuntimeStatus.Read(Store.Folder(config.Id)).State;
        if (state is not (VmState.Running or VmState.Paused or VmState.Stopping))
        {
            throw new VmStateException($"'{config.Name}' is {state}: its console takes input only while it runs.", state);
        }

        return Command(config, new InputRequest { Data = data }).Accepted ?? 0;
    }

    private VmActionResult Act(string name, VmAction action, Action<VmConfiguration, RuntimeStatus> perform)
    {
        VmConfiguration found = Find(name);
        using FileLock vmLock = Store.LockVm(found.Id);
        VmConfiguration config = Store.Load(found.Id);
        RuntimeStatus status = RuntimeStatus.Read(Store.Folder(config.Id));
        if (!VmStateMachine.Ensure(action, status.State, config.Name))
        {
            return new VmActionResult(Info(config), $"'{config.Name}': {VmStateMachine.AlreadyInStateMessage}");
        }

        perform(config, status);
        return new VmActionResult(Info(config));
    }

    private void Launch(VmConfiguration config)
    {
        VmFolder folder = Store.Folder(config.Id);
        File.Delete(folder.ControlSocket);
        using Process worker = launcher.Launch(Store.Home, config.Id);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            RuntimeStatus status = RuntimeStatus.Read(folder);
            bool ours = status.Record?.Pid == worker.Id;
            if (ours && status.State is VmState.Running or VmState.Paused && File.Exists(folder.ControlSocket))
            {
                return;
            }

            if (worker.HasExited || (ours && status.State == VmState.Off))
            {
                // Read again: the worker writes its end before it exits.
                status = RuntimeStatus.Read(folder);
                ours = status.Record?.Pid == worker.Id;
                string? reason = ours ? status.Record?.StopReason : null;
                if (reason is not null && status.Record?.Outcome == RunOutcome.Ended)
                {
                    return; // It started and already ended (the built-in guest powers off at once).
                }

                throw new VmOperationException(
                    $"'{config.Name}' failed to start: {reason ?? LastLine(folder.WorkerLog) ?? $"the worker exited with code {worker.ExitCode}"}");
            }

            Thread.Sleep(20);
        }

        throw new VmOperationException($"'{config.Name}' did not start within {StartTimeout.TotalSeconds} seconds (hnest vm log {config.Name} shows its worker's log)");
    }

    private void TurnOff(VmConfiguration config, RuntimeStatus status)
    {
        if (status.State == VmState.Saved)
        {
            // Hyper-V's Stop-VM -TurnOff of a saved VM: the saved state is discarded.
            Store.Folder(config.Id).DeleteSavedState();
            return;
        }

        try
        {
            Command(config, new TurnOffRequest());
        }
        catch (VmOperationException)
        {
            // A worker that does not answer is killed below.
        }

        if (!WaitForExit(status, TurnOffTimeout) && status.Process is { } process)
        {
            // The worker is wedged: the power cut becomes a kill; runtime.json then reads as "ended unexpectedly".
            using Process worker = Process.GetProcessById(process.Pid);
            worker.Kill();
            WaitForExit(status, TurnOffTimeout);
        }
    }

    private static bool WaitForExit(RuntimeStatus status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (status.Record is { } record && HostProcess.ReadLive(record.Pid, record.ProcessStartTicks) is not null)
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    private ControlResponse Command(VmConfiguration config, ControlRequest request, bool refusalIsAnAnswer = false) =>
        ControlClient.Send(Store.Folder(config.Id).ControlSocket, config.Name, request, refusalIsAnAnswer);

    private VmConfiguration Find(string name)
    {
        StoreListing listing = Store.List();
        VmConfiguration? found = listing.Vms.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? (Guid.TryParse(name, out Guid id) ? listing.Vms.FirstOrDefault(v => v.Id == id) : null);
        return found ?? throw new VmNotFoundException(name);
    }

    private VmInfo Info(VmConfiguration config)
    {
        VmFolder folder = Store.Folder(config.Id);
        RuntimeStatus status = RuntimeStatus.Read(folder);
        bool running = status.Process is not null;
        VmMemoryReport? memory = running ? VmMemoryReport.Read(folder) : null;
        // The VM inside an emulated host keeps its Startup memory and reports none: say so rather than show nothing.
        bool dynamicUnapplied = running && memory is null && config.Memory.DynamicMemoryEnabled && status.Record?.Accelerator == AcceleratorParser.Format(Accelerator.Emulated);
        return new VmInfo
        {
            Configuration = config,
            State = status.State,
            CpuUsage = status.CpuUsage,
            MemoryAssignedBytes = memory?.AssignedBytes ?? (running ? config.Memory.StartupBytes : 0),
            MemoryDemandBytes = memory?.DemandBytes ?? 0,
            MemoryStatus = memory?.Status ?? (dynamicUnapplied ? "Warning" : ""),
            MemoryProblem = memory?.Problem
                ?? (dynamicUnapplied ? "Dynamic Memory is not applied on the emulated accelerator yet: the VM keeps its Startup memory" : null),
            Uptime = status.Uptime,
            LastStopReason = PointAtLog(status, config.Name),
            WorkerPid = status.Process?.Pid,
            RunningAccelerator = status.Record?.Accelerator,
        };
    }

    /// <summary>
    /// The last stop reason, with where to read more when the run did not end by the guest's or the host's will: it
    /// never started, its worker died, its emulated host died, or the guest faulted.
    /// </summary>
    private static string? PointAtLog(RuntimeStatus status, string name)
    {
        string? reason = status.LastStopReason;
        bool unexpected = status.Record?.Outcome == RunOutcome.FailedToStart
            || (status.Record?.IsLive == true && status.Process is null)
            || reason?.StartsWith("the emulated host", StringComparison.Ordinal) == true
            || reason?.StartsWith("a vCPU triple-faulted", StringComparison.Ordinal) == true
            || reason?.StartsWith("the guest crashed", StringComparison.Ordinal) == true;
        return reason is not null && unexpected ? $"{reason} (hnest vm log {name})" : reason;
    }

    private static HashSet<string> UsedMacs(StoreListing listing, (Guid Vm, string Adapter)? except) =>
        [.. listing.Vms.SelectMany(v => v.NetworkAdapters
            .Where(a => except is not { } skip || v.Id != skip.Vm || a.Name != skip.Adapter)
            .Select(a => a.MacAddress))];

    private static string? LastLine(string path) =>
        File.Exists(path) && File.ReadLines(path).LastOrDefault(l => l.Contains(WorkerLogText.FailedToStart, StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(WorkerLogText.FailedToStart, StringComparison.Ordinal) + WorkerLogText.FailedToStart.Length)..]
            : null;
}
