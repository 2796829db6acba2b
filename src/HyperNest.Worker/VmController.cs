using HyperNest.Kvm;
using HyperNest.Management;
using HyperNest.Management.Worker;
using System.Collections.Concurrent;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Vmm;
using HyperNest.Worker.Memory;
using HyperNest.Worker.Network;
using Microsoft.Extensions.Logging;

namespace HyperNest.Worker;

/// <summary>
/// Runs one built VM and executes control requests on its own thread, one at a time (request → typed action →
/// the VM's control thread): whoever receives requests (the control socket, the emulated host's control port) only
/// queues them. The VM itself runs on the caller's thread until the guest or a request ends it.
/// </summary>
/// <param name="vm">The built VM.</param>
/// <param name="reporter">Where its state goes (runtime.json, the emulated host's control port).</param>
/// <param name="log">The worker's log.</param>
/// <param name="network">Its switch ports, for network adapter requests.</param>
/// <param name="keepMemory">
/// Makes the memory keeper (Dynamic Memory, runtime resize) of a VM, the first and each one built again after a reset;
/// null: the VM keeps its boot memory.
/// </param>
/// <param name="saveTo">Where Save-VM writes the state and memory files; null where a VM cannot be saved (hnest run).</param>
/// <param name="restartOnReboot">
/// Whether a reboot of the guest restarts the VM (a managed VM, <c>hnest run --on-reboot restart</c>), with the loop
/// that ends it instead; null: a reboot ends the run (<c>hnest run</c>'s exit code 3).
/// </param>
internal sealed partial class VmController(
    VirtualMachine vm, IVmStateReporter reporter, ILogger log, AdapterPorts? network = null,
    Func<VirtualMachine, MemoryKeeper>? keepMemory = null, SavedStatePaths? saveTo = null, RebootLoop? restartOnReboot = null)
{
    /// <summary>
    /// Held while a request runs on the control thread and while a reset builds the VM again on the VM's thread: no
    /// request ever meets a VM half torn down.
    /// </summary>
    private readonly Lock _gate = new();
    private MemoryKeeper? _memory = keepMemory?.Invoke(vm);
    private bool _resetRequested;
    private long _nextMemoryTick;

    /// <summary>Measure-VM's counters, for the current run: a reset starts them again with the VM built anew.</summary>
    private Metering.ResourceMeter _meter = Metering.ResourceMeter.For(vm);

    private DateTimeOffset? _shutdownDeadline;
    private int _shutdownSeconds;
    private bool _cutAtDeadline;

    public BlockingCollection<PendingCommand> Queue { get; } = new();

    /// <summary>
    /// Hands a request to the control thread without waiting for its answer (signal handlers, the console's Ctrl-]).
    /// A VM that is already ending ignores it.
    /// </summary>
    public void Post(ControlRequest request)
    {
        try
        {
            Queue.Add(new PendingCommand(request));
        }
        catch (InvalidOperationException)
        {
            // The VM has ended; nothing left to do.
        }
    }

    /// <summary>The VM that runs now: the one given, or the one a reset built in its place.</summary>
    public VirtualMachine Vm { get; private set; } = vm;

    /// <summary>Whether a save ended the run (its files are written).</summary>
    public bool Saved { get; private set; }

    /// <summary>Why the host ended the VM, in Get-VM's words, when a request did.</summary>
    public string? StopRequest { get; private set; }

    /// <summary>Runs the VM to its end; returns why it ended.</summary>
    public VmStopReason Run()
    {
        var control = new Thread(ControlLoop) { IsBackground = true, Name = "vm-control" };
        control.Start();
        _meter.Sample(AssignedBytes);
        reporter.Write(VmState.Running);
        VmStopReason reason;
        while ((reason = Vm.Run()) == VmStopReason.Reboot && StartAgain())
        {
        }

        Queue.CompleteAdding();
        control.Join(TimeSpan.FromSeconds(5));
        return reason;
    }

    /// <summary>
    /// After a reset (the guest's, or the host's <see cref="ResetRequest"/>): builds the VM again from the
    /// configuration it runs with (disks as they are now, the same ports, the same console stream) and returns true;
    /// the state stays Running and the uptime starts over. False when the run ends instead, <see cref="StopRequest"/>
    /// saying why unless it is a plain reboot of a VM that does not restart: a request already ended it, the guest is
    /// in a reboot loop, or the VM could not be built again.
    /// </summary>
    private bool StartAgain()
    {
        lock (_gate)
        {
            bool byHost = _resetRequested;
            _resetRequested = false;
            if (restartOnReboot is null || StopRequest is not null)
            {
                return false;
            }

            if (!byHost && !restartOnReboot.Restarts(Environment.TickCount64))
            {
                StopRequest = RebootLoop.StopReason;
                return false;
            }

            WorkerLog.Restarting(log, byHost ? "reset by the host" : "the guest rebooted");
            VmConfig config = ForegroundVm.WithPorts(Vm.Config, network);
            Stream console = Vm.ConsoleOutput;

            // The old VM goes first: its disks are locked while open, its network threads read the same TAP devices.
            Vm.Dispose();
            try
            {
                Vm = VirtualMachine.Create(config, console);
            }
            catch (Exception e)
            {
                // Whatever it is (a kernel file gone, no memory left), the VM ends with the reason, the worker does not.
                StopRequest = $"the VM could not start again after its reset: {e.UserMessage()}";
                WorkerLog.RestartFailed(log, e.UserMessage());
                return false;
            }

            _memory = keepMemory?.Invoke(Vm);
            _meter = Metering.ResourceMeter.For(Vm);
            _meter.Sample(AssignedBytes);
            _shutdownDeadline = null;
            reporter.Restarted();
            return true;
        }
    }

    private void ControlLoop()
    {
        while (!Queue.IsCompleted)
        {
            lock (_gate)
            {
                if (_shutdownDeadline is { } deadline && DateTimeOffset.UtcNow >= deadline)
                {
                    _shutdownDeadline = null;
                    WorkerLog.ShutdownTimedOut(log, _shutdownSeconds);
                    if (_cutAtDeadline)
                    {
                        Vm.RequestStop(VmStopReason.Stopped, $"the guest did not power off within {_shutdownSeconds} s of the power button");
                        continue;
                    }

                    // Stop-VM's way: the guest keeps running, and says so.
                    reporter.Write(VmState.Running);
                }

                if (_memory is not null && Environment.TickCount64 >= _nextMemoryTick)
                {
                    _nextMemoryTick = Environment.TickCount64 + 1000;
                    _memory.Tick();
                    _meter.Sample(AssignedBytes);
                }
            }

            PendingCommand? pending;
            try
            {
                // Asleep until a request comes, the shutdown deadline passes or (with a memory keeper) the next memory
                // tick is due. Without a keeper (hnest run) it does not wake up every so often: each timed wait of a
                // BlockingCollection makes a linked CancellationTokenSource (~1 KiB a second at 200 ms, measured in
                // the lab); a keeper's tick allocates more than that itself.
                if (!Queue.TryTake(out pending, UntilNextWork()))
                {
                    continue;
                }
            }
            catch (InvalidOperationException)
            {
                return;
            }

            ControlResponse response;
            lock (_gate)
            {
                response = Execute(pending.Request);
            }

            pending.Reply.TrySetResult(response with { Id = pending.Request.Id });
        }
    }

    private int UntilNextWork() => SleepMilliseconds(
        _shutdownDeadline, DateTimeOffset.UtcNow, _memory is null ? null : _nextMemoryTick, Environment.TickCount64);

    /// <summary>
    /// How long the control thread may sleep, in milliseconds: until the shutdown <paramref name="deadline"/> or the
    /// next memory tick (<paramref name="nextMemoryTick"/>, in <see cref="Environment.TickCount64"/> terms; null
    /// without a memory keeper), whichever comes first; <see cref="Timeout.Infinite"/> when there is neither.
    /// </summary>
    internal static int SleepMilliseconds(DateTimeOffset? deadline, DateTimeOffset now, long? nextMemoryTick, long nowTicks)
    {
        long wait = Timeout.Infinite;
        if (deadline is { } at)
        {
            wait = (long)Math.Clamp(Math.Ceiling((at - now).TotalMilliseconds), 0, int.MaxValue);
        }

        if (nextMemoryTick is { } tick)
        {
            long untilTick = Math.Clamp(tick - nowTicks, 0, int.MaxValue);
            wait = wait == Timeout.Infinite ? untilTick : Math.Min(wait, untilTick);
        }

        return (int)wait;
    }

    private ControlResponse Execute(ControlRequest request)
    {
        if (request.Version != ControlRequest.CurrentVersion)
        {
            return new ControlResponse
            {
                Ok = false, State = reporter.State,
                Error = $"control protocol version {request.Version} is not spoken here (this worker speaks {ControlRequest.CurrentVersion}): restart the VM with this hnest",
            };
        }

        if (request is not (StatusRequest or InputRequest or MeteringRequest))
        {
            WorkerLog.Request(log, request.Description);
        }

        switch (request)
        {
            case PauseRequest:
                Vm.Pause();
                reporter.Write(VmState.Paused);
                break;
            case ResumeRequest:
                Vm.Resume();
                reporter.Write(VmState.Running);
                break;
            case ShutdownRequest shutdown:
                // The ACPI power button: the guest's OS powers off (systemd-logind, acpid, the built-in guest); a
                // guest that does not answer is left running when the deadline passes.
                Vm.PressPowerButton();
                _shutdownDeadline = DateTimeOffset.UtcNow.AddSeconds(shutdown.TimeoutSeconds);
                _shutdownSeconds = shutdown.TimeoutSeconds;
                _cutAtDeadline = shutdown.CutPowerAtTimeout;
                reporter.Write(VmState.Stopping);
                break;
            case ResetRequest:
                return Reset();
            case TurnOffRequest turnOff:
                StopRequest = turnOff.Reason ?? "turned off (power cut requested by the host)";
                Vm.RequestStop(VmStopReason.Stopped, turnOff.Reason ?? "turned off");
                break;
            case InputRequest input:
                // At the UART's pace (its FIFO holds 64 bytes), for at most a second: the answer says how much went in.
                return new ControlResponse { State = reporter.State, Accepted = Vm.Console.Feed(input.Data, DateTimeOffset.UtcNow.AddSeconds(1)) };
            case NetworkAdapterRequest adapter:
                return ApplyNetworkAdapter(adapter);
            case MemoryRequest change:
                return ChangeMemory(change);
            case SaveRequest:
                return Save();
            case CheckpointRequest checkpoint:
                return Checkpoint(checkpoint);
            case MergeDiskRequest merge:
                return MergeDisk(merge);
            case MeteringRequest:
                return new ControlResponse { State = reporter.State, Metering = _meter.Report(AssignedBytes) };
            case StatusRequest:
                return new ControlResponse { State = reporter.State, NetworkAdapters = network?.Status(), Memory = _memory?.Last };
        }

        return new ControlResponse { State = reporter.State };
    }

    /// <summary>The memory the guest holds now: the keeper's last report, else its boot memory.</summary>
    private ulong AssignedBytes => _memory?.Last?.AssignedBytes ?? Vm.Config.MemoryBytes;

    /// <summary>
    /// Restart-VM: the VM is cut off as by a power cut and, on its own thread, built again and booted
    /// (<see cref="StartAgain"/>). A VM that does not restart on a reboot (<c>hnest run</c>) refuses it.
    /// </summary>
    private ControlResponse Reset()
    {
        if (restartOnReboot is null)
        {
            return new ControlResponse { Ok = false, State = reporter.State, Error = "this VM ends on a reset (hnest run without --on-reboot restart): it cannot be restarted" };
        }

        _resetRequested = true;
        Vm.RequestStop(VmStopReason.Reboot, "reset by the host");
        return new ControlResponse { State = VmState.Running };
    }

    /// <summary>
    /// Save-VM: pause (vCPUs finish their instruction, devices their queue turn), write the memory file then the state
    /// file, end the run. A failure resumes the VM as it was and answers with the error; no file is left behind.
    /// </summary>
    private ControlResponse Save()
    {
        if (saveTo is null)
        {
            return new ControlResponse { Ok = false, State = reporter.State, Error = "this VM runs in the foreground (hnest run): only a VM of the store can be saved" };
        }

        VmState before = reporter.State;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Vm.Pause();
        long pausedAt = clock.ElapsedMilliseconds;
        try
        {
            long bytes = Vm.Save(saveTo.State, saveTo.Memory, saveTo.Access);
            WorkerLog.Saved(log, bytes >> 20, pausedAt, clock.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the VM goes on: a save never costs the guest its run.
            WorkerLog.SaveFailed(log, e is IOException or UnauthorizedAccessException or InvalidOperationException or Kvm.KvmException ? e.UserMessage() : e.ToString());
            if (before != VmState.Paused)
            {
                Vm.Resume();
            }

            return new ControlResponse { Ok = false, State = reporter.State, Error = $"its state could not be saved: {e.UserMessage()}" };
        }

        byte[]? state = null;
        if (saveTo.ReturnState)
        {
            state = File.ReadAllBytes(saveTo.State);
            File.Delete(saveTo.State);
        }

        Saved = true;
        StopRequest = "saved (Save-VM): the next start continues it";
        Vm.RequestStop(VmStopReason.Stopped, StopRequest);
        return new ControlResponse { State = VmState.Saved, SavedState = state };
    }

    /// <summary>Set-VMMemory while the VM runs: the new settings are the VM's claim from now on.</summary>
    private ControlResponse ChangeMemory(MemoryRequest request)
    {
        try
        {
            if (_memory is null)
            {
                throw new VmOperationException("this VM's memory cannot change while it runs (it has no balloon or virtio-mem device).");
            }

            var response = new ControlResponse { State = reporter.State, Memory = _memory.Change(request.Memory) };
            WorkerLog.MemoryChanged(log, Describe(request.Memory));
            return response;
        }
        catch (ManagementException e)
        {
            WorkerLog.MemoryRefused(log, Describe(request.Memory), e.UserMessage());
            return new ControlResponse { Ok = false, State = reporter.State, Error = e.UserMessage() };
        }
    }

    /// <summary>Memory settings as the worker log names them: Startup, and the Dynamic Memory values when it is on.</summary>
    private static string Describe(Management.Model.VmMemorySettings m) => m.DynamicMemoryEnabled
        ? $"Startup {m.StartupBytes >> 20} MB, Dynamic Memory Minimum {m.MinimumBytes >> 20} MB, Maximum {m.MaximumBytes >> 20} MB, Buffer {m.Buffer} %, Priority {m.Priority}"
        : $"Startup {m.StartupBytes >> 20} MB (static)";

    /// <summary>A port change takes effect at once: spoofing for the next frame, the TAP on its new bridge, the guest's link.</summary>
    private ControlResponse ApplyNetworkAdapter(NetworkAdapterRequest request)
    {
        try
        {
            if (network is null)
            {
                throw AdapterPorts.NoSuchAdapter(request.Adapter);
            }

            AdapterPort port = network.Apply(request);
            Vm.NetworkAdapters[network.Ports.ToList().IndexOf(port)].SetLinkUp(port.Bridge is not null);
            WorkerLog.AdapterChanged(log, port.Name, port.SwitchName ?? port.Bridge ?? "nothing", port.Port.MacAddressSpoofing ? "On" : "Off");
            return new ControlResponse { State = reporter.State, NetworkAdapters = network.Status() };
        }
        catch (ManagementException e)
        {
            return new ControlResponse { Ok = false, State = reporter.State, Error = e.UserMessage() };
        }
    }
}
