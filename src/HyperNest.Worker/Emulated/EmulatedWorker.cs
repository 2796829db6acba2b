using HyperNest.Kvm;
using HyperNest.Management.Worker;
using System.Collections.Concurrent;
using HyperNest.Emulation;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Vmm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.SavedStates;
using Microsoft.Extensions.Logging;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Management;
using HyperNest.Worker.Network;

namespace HyperNest.Worker;

/// <summary>
/// The host side of a worker on the emulated accelerator. It boots an emulated host whose inner
/// <c>hnest run --control-fd</c> runs the VM, serves the VM's control socket by forwarding each request over the
/// control port, writes the inner worker's state events to runtime.json and its console to console.log, and records
/// how the run ended — by the inner worker's word, or, when the emulated host itself died (killed, watchdog), by
/// what happened to it. An emulated host never outlives this process (QEMU gets a parent-death signal).
/// </summary>
internal sealed class EmulatedWorker(VmStore store, VmFolder folder, RuntimeRecorder recorder, ILogger log)
{
    private readonly BlockingCollection<PendingCommand> _queue = new();
    private volatile bool _innerRunning;
    private string? _endReason;
    private bool _innerFailedToStart;
    private EmulatedPorts? _ports;
    private bool _restoring;
    private ulong _memoryBytes;

    public int Run(VmConfig config, IReadOnlyList<AdapterPlan> adapters, string tapPrefix, IPortPlumbing plumbing)
    {
        EmulatedHost host;
        try
        {
            // Everything that can be refused is refused here, before a boot is spent on it.
            VirtualMachine.Check(config);
            _ports = EmulatedPorts.Plan(adapters, tapPrefix, plumbing);
            _restoring = folder.HasSavedState;
            _memoryBytes = config.MemoryBytes;
            ResetSaveArea(_memoryBytes);
            EmulatedHostLaunch launch = EmulatedVm.Prepare(
                    config, _ports, EmulatedChannel.Protocol, folder.EmulatedHostLog, step => WorkerLog.EmulatedHostStep(log, step),
                    folder.EmulatedSaveArea, _restoring ? (folder.SavedStateFile, folder.SavedMemoryFile) : null)
                with { LogAccess = store.Access };
            host = EmulatedHost.Start(launch);
        }
        catch (Exception e) when (e is EmulationException or BootException or VmBuildException or DiskException or ArgumentException or IOException or ManagementException)
        {
            return FailedToStart(e.UserMessage());
        }

        WorkerLog.EmulatedHostStarted(log, host.QemuProcessId, folder.EmulatedHostLog);
        try
        {
            _ports.Attach();
        }
        catch (ManagementException e)
        {
            host.Kill(e.UserMessage());
            host.Dispose();
            return FailedToStart(e.UserMessage());
        }

        using (host)
        // A restored guest's console continues its log.
        using (FileStream console = VmWorker.OpenConsoleLog(folder, store.Access, append: _restoring))
        {
            var consolePump = StreamRelay.Start(host.Console, console, "emulated-console");
            var errorPump = StreamRelay.Start(host.Errors, Console.OpenStandardError(), "emulated-inner-stderr");
            var port = new ControlPortClient(host.Control, OnEvent);
            using var server = new ControlServer(folder.ControlSocket, _queue, store, log);
            WorkerLog.Running(log, folder.ControlSocket);
            var forwarder = new Thread(() => Forward(host, port)) { IsBackground = true, Name = "control-forwarder" };
            forwarder.Start();

            host.WaitForExit();
            _queue.CompleteAdding();
            port.Join(TimeSpan.FromSeconds(5));
            port.FailAll("the emulated host has ended");
            consolePump.Join(TimeSpan.FromSeconds(5));
            errorPump.Join(TimeSpan.FromSeconds(5));

            string? reason = _endReason;
            if (reason is null)
            {
                reason = host.StopReason
                    ?? (port.ExitCode is int code
                        ? $"the VM's hnest inside the emulated host exited with {code}{(port.ExitDetail is null ? "" : $": {port.ExitDetail}")}"
                        : $"the emulated host (QEMU pid {host.QemuProcessId}) ended unexpectedly: {host.Describe()}");
                WorkerLog.EmulatedHostEnded(log, $"{reason}; where it got to: '{host.LastProgress}'");
            }

            WorkerLog.Ended(log, reason);
            recorder.End(reason, _innerFailedToStart ? RunOutcome.FailedToStart : RunOutcome.Ended);
        }

        File.Delete(folder.EmulatedSaveArea);
        return 0;
    }

    /// <summary>
    /// The save area: a sparse file of a memory file's size (header and the VM's memory), all zeroes, as the inner
    /// save expects (it writes only non-zero pages).
    /// </summary>
    private void ResetSaveArea(ulong memoryBytes)
    {
        using FileStream area = store.Access.OpenFile(folder.EmulatedSaveArea, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        area.SetLength(0);
        area.SetLength(GuestMemoryFile.HeaderSize + (long)memoryBytes);
    }

    /// <summary>
    /// A save's answer from inside: its memory is in the save area, its state in the answer. The save area becomes
    /// saved.memory, then the state file is written (last: a state file exists only beside a whole memory file).
    /// </summary>
    private ControlResponse KeepSavedState(ControlResponse answer)
    {
        if (!answer.Ok || answer.SavedState is not { } state)
        {
            return answer with { SavedState = null };
        }

        try
        {
            File.Move(folder.EmulatedSaveArea, folder.SavedMemoryFile, overwrite: true);
            SavedStateFile.WriteFile(folder.SavedStateFile, state, store.Access);
            VmWorker.RecordSavedAccelerator(folder, store.Access, Management.Accelerators.Accelerator.Emulated);
            return answer with { SavedState = null };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SavedStateException)
        {
            folder.DeleteSavedState();
            return answer with { Ok = false, SavedState = null, Error = $"its state could not be kept: {e.UserMessage()}" };
        }
    }

    /// <summary>The VM never ran: its end says why, in runtime.json and the worker's log.</summary>
    private int FailedToStart(string reason)
    {
        recorder.End(reason, RunOutcome.FailedToStart);
        WorkerLog.FailedToStart(log, reason);
        return 1;
    }

    private void OnEvent(WorkerEvent workerEvent)
    {
        if (workerEvent.EndReason is { } reason)
        {
            _endReason = reason;
            _innerFailedToStart = workerEvent.FailedToStart;
            return;
        }

        if (workerEvent.Restarted)
        {
            // The VM inside was reset and boots again in the same emulated host: Running throughout, uptime anew.
            recorder.Restarted();
            return;
        }

        if (workerEvent.State is { } state)
        {
            if (_restoring && state == VmState.Running)
            {
                // Restored: from here the VM runs; QEMU keeps the memory file it reads open.
                _restoring = false;
                folder.DeleteSavedState();
            }

            _innerRunning = true;
            recorder.Write(state);
        }
    }

    /// <summary>
    /// Hands each request from the control socket to the inner worker. A turn-off before the inner worker runs (the
    /// emulated host still booting) is a power cut of the emulated host itself.
    /// </summary>
    private void Forward(EmulatedHost host, ControlPortClient port)
    {
        foreach (PendingCommand pending in _queue.GetConsumingEnumerable())
        {
            if (pending.Request is TurnOffRequest && !_innerRunning)
            {
                _endReason = "turned off (power cut requested by the host)";
                host.Kill(_endReason);
                pending.Reply.TrySetResult(new ControlResponse { State = VmState.Off });
                continue;
            }

            ControlRequest request = pending.Request;
            if (request is SaveRequest)
            {
                ResetSaveArea(_memoryBytes);
                port.Send(request).ContinueWith(t => pending.Reply.TrySetResult(_ports!.Outside(KeepSavedState(t.Result))), TaskScheduler.Default);
                continue;
            }

            if (request is NetworkAdapterRequest adapter)
            {
                try
                {
                    request = _ports!.Apply(adapter);
                }
                catch (ManagementException e)
                {
                    pending.Reply.TrySetResult(new ControlResponse { Ok = false, State = recorder.State, Error = e.UserMessage(), Id = request.Id });
                    continue;
                }
            }

            port.Send(request).ContinueWith(t => pending.Reply.TrySetResult(_ports!.Outside(t.Result)), TaskScheduler.Default);
        }
    }
}
