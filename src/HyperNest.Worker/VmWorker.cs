using HyperNest.Management;
using HyperNest.Management.Worker;
using HyperNest.Kvm;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Vmm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.SavedStates;
using HyperNest.Worker.Memory;
using HyperNest.Worker.Network;
using Microsoft.Extensions.Logging;

namespace HyperNest.Worker;

/// <summary>
/// The process that runs one VM in the background: it records the VM's state in runtime.json, keeps its serial
/// console in console.log and serves the control socket. On the kvm accelerator it runs the VM itself; on the
/// emulated one it runs an emulated host whose inner hnest runs the VM, and relays (<see cref="EmulatedWorker"/>).
/// Management sees the same process, socket and runtime.json either way.
/// </summary>
public sealed class VmWorker
{
    private readonly VmFolder _folder;
    private readonly RuntimeRecorder _recorder;
    private readonly VmStore _store;
    private readonly Guid _id;
    private readonly ILogger _log = new LineLogger(Console.Error);

    private VmWorker(VmStore store, Guid id)
    {
        _store = store;
        _id = id;
        _folder = store.Folder(id);
        _recorder = new RuntimeRecorder(store.Writer, _folder, HostProcess.Current);
    }

    /// <summary>The worker verb's body: detaches, runs the VM to its end, returns the process exit code.</summary>
    public static int Run(string home, Guid id, bool detach = true)
    {
        var store = new VmStore(home);
        if (detach)
        {
            ProcessSession.Detach(store.Folder(id).WorkerLog, store.Access);
            // Console.Error holds a duplicate of the stderr the worker was started with (a closed pipe): open it again
            // on the new fd 2, the log.
            Console.SetError(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
        }

        return new VmWorker(store, id).Run();
    }

    /// <summary>
    /// <c>hnest run --control-fd N</c>: the worker inside an emulated host. Runs <paramref name="config"/> on this
    /// host's KVM with the console on <paramref name="console"/>, taking requests and reporting state and its end on
    /// <paramref name="port"/>. Returns the exit code <c>hnest run</c> gives for the same end.
    /// </summary>
    /// <param name="config">The VM.</param>
    /// <param name="adapters">Its network adapters (the emulated host's bridges).</param>
    /// <param name="console">The guest's serial console.</param>
    /// <param name="port">The control port: requests in, answers and events out.</param>
    /// <param name="endReason">How the run ended, in Get-VM's words.</param>
    /// <param name="restore">The state file and memory (a block device) to restore the VM from, or null to boot it.</param>
    /// <param name="saveArea">The block device a save writes the memory to (its state goes back in the answer), or null.</param>
    public static VmStopReason? RunOnPort(
        VmConfig config, IReadOnlyList<AdapterPlan> adapters, Stream console, Stream port, out string endReason,
        (string State, string Memory)? restore = null, string? saveArea = null)
    {
        var log = new LineLogger(Console.Error, "inside the emulated host");
        using var server = new ControlPortServer(port);
        VirtualMachine vm;
        AdapterPorts? ports = null;
        try
        {
            // Inside, adapters name the emulated host's bridges directly: there is no store of switches there.
            ports = adapters.Count == 0 ? null : OpenPorts(adapters, "hnv", new HostPortPlumbing(null, new Management.Networking.IpRoute2Network()), log);
            vm = restore is { } saved
                ? RestoreFrom(ForegroundVm.WithPorts(config, ports), console, saved.State, saved.Memory, log)
                : VirtualMachine.Create(ForegroundVm.WithPorts(config, ports), console);
        }
        catch (Exception e) when (e is ManagementException or BootException or VmBuildException or KvmException or IOException or ArgumentException or SavedStateException)
        {
            ports?.Dispose();
            endReason = e is KvmException k ? AcceleratorSelector.Describe(k) : e.UserMessage();
            WorkerLog.FailedToStart(log, endReason);
            server.Ended(endReason, failedToStart: true);
            return null;
        }

        using (ports)
        {
            // No store here: the VM keeps its boot size until the host-side worker forwards a memory change.
            SavedStatePaths? saveTo = saveArea is null
                ? null
                : new SavedStatePaths(Path.Combine(Path.GetTempPath(), "hnest-saved.state"), saveArea, HostFileAccess.OwnerOnly, ReturnState: true);

            // A managed VM: a reboot restarts it here, inside the same emulated host (its disks, NICs and console
            // stay as they are, and no second emulated host boots).
            var controller = new VmController(
                vm, server, log, ports, v => MemoryKeeper.Alone(new VmMemorySettings { StartupBytes = config.MemoryBytes }, new VmMemoryDevices(v)),
                saveTo, new RebootLoop());
            try
            {
                server.Serve(controller);
                VmStopReason reason = controller.Run();
                endReason = Describe(reason, controller.Vm.StopDetail, controller.StopRequest);
                LogEnd(log, reason, endReason);
                server.Ended(endReason);
                return reason;
            }
            finally
            {
                // The VM (its device threads) goes before the ports (the TAP devices it sends into).
                controller.Vm.Dispose();
            }
        }
    }

    /// <summary>How a run ended, in the words Get-VM shows as the last stop reason.</summary>
    public static string Describe(VmStopReason reason, string? detail, string? request) => reason switch
    {
        VmStopReason.PowerOff => "the guest powered off",
        VmStopReason.Reboot => request ?? "the guest rebooted (HyperNest ends the VM on a reboot)",
        VmStopReason.TripleFault => "a vCPU triple-faulted",
        VmStopReason.Crash => $"the guest crashed: {detail ?? "KVM could not run it"}",
        _ => request ?? $"stopped: {detail ?? "requested by the host"}",
    };

    internal static VmConfig ToVmConfig(VmConfiguration config) => new()
    {
        MemoryBytes = config.Memory.StartupBytes,
        // Room to grow while it runs (a Linux guest with virtio_mem); the built-in guest has no driver for it.
        HotplugMemoryBytes = config.Boot.IsBuiltIn ? 0 : DynamicMemory.HotplugRoom(config.Memory.StartupBytes, new ProcHostMemory().TotalBytes),
        BalloonDeflateOnOom = config.Memory.DynamicMemoryEnabled,
        VcpuCount = config.ProcessorCount,
        KernelPath = config.Boot.KernelPath,
        InitrdPath = config.Boot.InitrdPath,
        KernelArguments = config.Boot.KernelArguments,
        ExposeVirtualizationExtensions = config.ExposeVirtualizationExtensions,
        Disks = [.. config.HardDrives.Select((d, i) => new DiskConfig(d.Path, d.ReadOnly, $"hn-disk{i}"))],
    };

    private int Run()
    {
        _recorder.Write(VmState.Starting);
        VmConfig config;
        IReadOnlyList<AdapterPlan> adapters;
        AcceleratorChoice choice;
        Accelerator setting;
        VmMemorySettings memory;
        string name;
        try
        {
            VmConfiguration stored = _store.Load(_id);
            config = ToVmConfig(stored);
            adapters = [.. stored.NetworkAdapters.Select(AdapterPlan.From)];
            setting = stored.Accelerator;
            memory = stored.Memory;
            name = stored.Name;
            choice = AcceleratorSelector.Choose(setting, linuxGuest: config.KernelPath is not null, nested: config.ExposeVirtualizationExtensions);
        }
        catch (Exception e)
        {
            return FailedToStart(e);
        }

        if (_folder.HasSavedState && _folder.SavedAccelerator is { } savedOn && savedOn != AcceleratorParser.Format(choice.Accelerator))
        {
            // A vCPU's state is its accelerator's: a CPU model and a KVM of another kind cannot take it.
            return FailedToStart(new SavedStateException(
                $"it was saved on the {savedOn} accelerator and would run on {AcceleratorParser.Format(choice.Accelerator)} now ({choice.Reason ?? "its setting"}): its saved state restores only on {savedOn} (Remove-VMSavedState {name} to boot it here)"));
        }

        _recorder.Accelerator = AcceleratorParser.Format(choice.Accelerator);
        WorkerLog.Starting(_log, name, config.VcpuCount, config.MemoryBytes >> 20, config.Disks.Count, config.KernelPath ?? "built-in", config.ExposeVirtualizationExtensions);
        WorkerLog.AcceleratorChosen(_log, _recorder.Accelerator, AcceleratorParser.Format(setting), choice.Reason is null ? "" : $": {choice.Reason}");
        return choice.Accelerator == Accelerator.Emulated
            ? new EmulatedWorker(_store, _folder, _recorder, _log).Run(config, adapters, TapPrefix(_id), HostPortPlumbing.For(_store))
            : RunHere(config, adapters, memory);
    }

    /// <summary>
    /// The prefix of a stored VM's TAP devices: "hn" and the first 8 hex digits of its id, then the adapter's index
    /// (Linux interface names have at most 15 characters).
    /// </summary>
    internal static string TapPrefix(Guid id) => "hn" + id.ToString("N")[..8];

    private int RunHere(VmConfig config, IReadOnlyList<AdapterPlan> adapters, VmMemorySettings memory)
    {
        VirtualMachine vm;
        FileStream? console = null;
        AdapterPorts? ports = null;
        bool restoring = _folder.HasSavedState;
        try
        {
            // A restored guest's console continues its log.
            console = OpenConsoleLog(_folder, _store.Access, append: restoring);
            ports = OpenPorts(adapters, TapPrefix(_id), HostPortPlumbing.For(_store), _log);
            vm = restoring
                ? Restore(ForegroundVm.WithPorts(config, ports), console)
                : VirtualMachine.Create(ForegroundVm.WithPorts(config, ports), console);
        }
        catch (Exception e)
        {
            ports?.Dispose();
            console?.Dispose();
            return FailedToStart(e);
        }

        using (ports)
        using (console)
        {
            // A reset builds the VM again in this process: its memory keeper then starts from the settings stored now.
            var controller = new VmController(
                vm, _recorder, _log, ports, v => MemoryKeeper.Managed(_store, _id, StoredMemory(memory), new VmMemoryDevices(v)),
                _folder.SavedState(_store.Access), new RebootLoop());
            try
            {
                using var server = new ControlServer(_folder.ControlSocket, controller.Queue, _store, _log);
                WorkerLog.Running(_log, _folder.ControlSocket);
                VmStopReason reason = controller.Run();
                if (controller.Saved)
                {
                    RecordSavedAccelerator(_folder, _store.Access, Accelerator.Kvm);
                }

                string end = Describe(reason, controller.Vm.StopDetail, controller.StopRequest);
                LogEnd(_log, reason, end);
                _recorder.End(end);
            }
            finally
            {
                // The VM (its device threads) goes before the ports (the TAP devices it sends into).
                controller.Vm.Dispose();
            }
        }

        return 0;
    }

    /// <summary>The VM's memory settings as stored now (Set-VMMemory may have changed them while it ran), else <paramref name="atStart"/>.</summary>
    private VmMemorySettings StoredMemory(VmMemorySettings atStart)
    {
        try
        {
            return _store.Load(_id).Memory;
        }
        catch (ManagementException)
        {
            return atStart;
        }
    }

    /// <summary>
    /// Builds the VM from its saved state (Start-VM of a Saved VM), then removes the saved files: the memory stays
    /// mapped from the unlinked file, and from here the VM is Running, no longer Saved. A state that cannot be
    /// restored throws <see cref="SavedStateException"/> with its files untouched: the VM stays Saved.
    /// </summary>
    private VirtualMachine Restore(VmConfig config, Stream console)
    {
        VirtualMachine vm = RestoreFrom(config, console, _folder.SavedStateFile, _folder.SavedMemoryFile, _log);
        _folder.DeleteSavedState();
        return vm;
    }

    /// <summary>
    /// The VM <paramref name="config"/> describes, restored from a state file and its memory file (a block device
    /// inside an emulated host), with the hot-pluggable room it was saved with. Logs how long it took.
    /// </summary>
    internal static VirtualMachine RestoreFrom(VmConfig config, Stream console, string statePath, string memoryPath, ILogger log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        VmSavedState saved = SavedStateFile.Read(statePath);
        config = config with { HotplugMemoryBytes = saved.Machine.HotplugMemoryBytes };
        using GuestMemoryFile memory = GuestMemoryFile.Open(memoryPath, saved.SaveId, saved.Machine.MemoryBytes, saved.Machine.HotplugMemoryBytes);
        VirtualMachine vm = VirtualMachine.Restore(config, console, saved, memory);
        WorkerLog.Restored(log, saved.SavedAt, clock.ElapsedMilliseconds);
        return vm;
    }

    /// <summary>Which accelerator a saved state was taken on (<see cref="VmFolder.SavedAcceleratorFile"/>).</summary>
    internal static void RecordSavedAccelerator(VmFolder folder, HostFileAccess access, Accelerator accelerator)
    {
        using FileStream file = access.OpenFile(folder.SavedAcceleratorFile, FileMode.Create);
        file.Write(System.Text.Encoding.ASCII.GetBytes(AcceleratorParser.Format(accelerator) + "\n"));
    }

    /// <summary>The VM's switch ports, each logged with where it is plugged in.</summary>
    internal static AdapterPorts OpenPorts(IReadOnlyList<AdapterPlan> adapters, string tapPrefix, IPortPlumbing plumbing, ILogger log)
    {
        AdapterPorts ports = AdapterPorts.Open(adapters, tapPrefix, plumbing);
        foreach (AdapterPort port in ports.Ports)
        {
            WorkerLog.AdapterPort(log, port.Name, port.Tap?.Name ?? "(none)", port.SwitchName ?? port.Bridge ?? "nothing (disconnected)", port.Port.MacAddressSpoofing ? "On" : "Off");
        }

        return ports;
    }

    /// <summary>The VM's console.log, emptied for this run (or continued, <paramref name="append"/>), with the store's access.</summary>
    internal static FileStream OpenConsoleLog(VmFolder folder, HostFileAccess access, bool append = false) =>
        access.OpenFile(folder.ConsoleLog, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    private int FailedToStart(Exception e)
    {
        string message = e is KvmException k ? AcceleratorSelector.Describe(k) : e.UserMessage();
        _recorder.End(message, RunOutcome.FailedToStart);
        WorkerLog.FailedToStart(_log, message);
        // An expected failure (a disk in use or missing, a bad kernel, a refused state) is its one line; anything else
        // is a HyperNest bug, and worker.log gets its stack trace for the report.
        if (e is not (ManagementException or BootException or VmBuildException or KvmException or Emulation.EmulationException or SavedStateException
            or Vmm.Devices.Virtio.DiskException or IOException or UnauthorizedAccessException))
        {
            Console.Error.WriteLine(e);
        }

        return 1;
    }

    /// <summary>A guest-driven fault (triple fault, KVM entry failure) is an error in the log; any other end is news.</summary>
    internal static void LogEnd(ILogger log, VmStopReason reason, string end)
    {
        if (reason is VmStopReason.TripleFault or VmStopReason.Crash)
        {
            WorkerLog.GuestFault(log, end);
        }

        WorkerLog.Ended(log, end);
    }
}
