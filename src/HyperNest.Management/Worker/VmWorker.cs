using System.Collections.Concurrent;
using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Vmm;

namespace HyperNest.Management.Worker;

/// <summary>
/// The process that runs one VM: builds it from the stored config, writes its serial console to console.log,
/// records its state in runtime.json and serves the control socket. Requests are executed on its own control
/// thread, one at a time; the VM runs on the main thread until the guest or a request ends it.
/// </summary>
public sealed class VmWorker
{
    /// <summary>Starts the worker.log line that says why the worker failed.</summary>
    public const string LogPrefix = "hnest worker: ";

    private readonly BlockingCollection<PendingCommand> _queue = new();
    private readonly VmFolder _folder;
    private readonly RuntimeRecorder _recorder;
    private readonly VmStore _store;
    private readonly Guid _id;
    private DateTimeOffset? _shutdownDeadline;
    private string? _stopRequest;

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
            ProcessSession.Detach(store.Folder(id).WorkerLog);
        }

        return new VmWorker(store, id).Run();
    }

    /// <summary>How a run ended, in the words Get-VM shows as the last stop reason.</summary>
    public static string Describe(VmStopReason reason, string? detail, string? request) => reason switch
    {
        VmStopReason.PowerOff => "the guest powered off",
        VmStopReason.Reboot => "the guest rebooted (HyperNest ends the VM on a reboot)",
        VmStopReason.TripleFault => "a vCPU triple-faulted",
        VmStopReason.Crash => $"the guest crashed: {detail ?? "KVM could not run it"}",
        _ => request ?? $"stopped: {detail ?? "requested by the host"}",
    };

    private int Run()
    {
        _recorder.Write(VmState.Starting);
        VirtualMachine vm;
        FileStream console;
        try
        {
            VmConfiguration config = _store.Load(_id);
            console = new FileStream(_folder.ConsoleLog, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            vm = VirtualMachine.Create(ToVmConfig(config), console);
        }
        catch (Exception e)
        {
            _recorder.End($"failed to start: {e.Message}");
            Console.Error.WriteLine($"{LogPrefix}{e.Message}");
            Console.Error.WriteLine(e);
            return 1;
        }

        using (console)
        using (vm)
        using (new ControlServer(_folder.ControlSocket, _queue))
        {
            var control = new Thread(() => ControlLoop(vm)) { IsBackground = true, Name = "vm-control" };
            control.Start();
            _recorder.Write(VmState.Running);
            VmStopReason reason = vm.Run();
            _queue.CompleteAdding();
            control.Join(TimeSpan.FromSeconds(5));
            _recorder.End(Describe(reason, vm.StopDetail, _stopRequest));
        }

        return 0;
    }

    internal static VmConfig ToVmConfig(VmConfiguration config) => new()
    {
        MemoryBytes = config.Memory.StartupBytes,
        VcpuCount = config.ProcessorCount,
        KernelPath = config.Boot.KernelPath,
        InitrdPath = config.Boot.InitrdPath,
        KernelArguments = config.Boot.KernelArguments,
        ExposeVirtualizationExtensions = config.ExposeVirtualizationExtensions,
        Disks = [.. config.HardDrives.Select((d, i) => new DiskConfig(d.Path, d.ReadOnly, $"hn-disk{i}"))],
    };

    private void ControlLoop(VirtualMachine vm)
    {
        while (!_queue.IsCompleted)
        {
            if (_shutdownDeadline is { } deadline && DateTimeOffset.UtcNow >= deadline)
            {
                // The guest did not power off in time: it keeps running, and says so.
                _shutdownDeadline = null;
                _recorder.Write(VmState.Running);
            }

            PendingCommand? pending;
            try
            {
                if (!_queue.TryTake(out pending, TimeSpan.FromMilliseconds(200)))
                {
                    continue;
                }
            }
            catch (InvalidOperationException)
            {
                return;
            }

            pending.Reply.TrySetResult(Execute(vm, pending.Request));
        }
    }

    private ControlResponse Execute(VirtualMachine vm, ControlRequest request)
    {
        switch (request.Command)
        {
            case ControlCommand.Pause:
                vm.Pause();
                _recorder.Write(VmState.Paused);
                break;
            case ControlCommand.Resume:
                vm.Resume();
                _recorder.Write(VmState.Running);
                break;
            case ControlCommand.Shutdown:
                // The ACPI power button: the guest's OS powers off (systemd-logind, acpid, the built-in guest); a
                // guest that does not answer is left running when the deadline passes.
                vm.PressPowerButton();
                _shutdownDeadline = DateTimeOffset.UtcNow.AddSeconds(request.TimeoutSeconds ?? 30);
                _recorder.Write(VmState.Stopping);
                break;
            case ControlCommand.TurnOff:
                _stopRequest = "turned off (power cut requested by the host)";
                vm.RequestStop(VmStopReason.Stopped, "turned off");
                break;
            case ControlCommand.Input:
                return new ControlResponse { State = _recorder.State, Accepted = Feed(vm, request.Data ?? []) };
            case ControlCommand.Status:
                break;
            default:
                return new ControlResponse { Ok = false, State = _recorder.State, Error = $"unknown command {request.Command}" };
        }

        return new ControlResponse { State = _recorder.State };
    }

    /// <summary>Feeds console input at the UART's pace (its FIFO holds 64 bytes), for at most a second.</summary>
    private static int Feed(VirtualMachine vm, byte[] data)
    {
        int offset = 0;
        DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(1);
        while (offset < data.Length && DateTimeOffset.UtcNow < deadline)
        {
            offset += vm.Console.Enqueue(data.AsSpan(offset));
            if (offset < data.Length)
            {
                Thread.Sleep(1);
            }
        }

        return offset;
    }
}
