using HyperNest.Kvm;
using System.Diagnostics;
using System.Text.Json;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// The automatic start and stop actions (Set-VM -AutomaticStartAction/-AutomaticStopAction) as the host applies them:
/// HyperNest has no daemon, so <c>hnest host start-vms</c> and <c>hnest host stop-vms</c> do what Hyper-V's service
/// does when the host starts and shuts down; hypernest.service runs them at boot and shutdown.
/// </summary>
public sealed partial class VmManager
{
    /// <summary>
    /// At the host's shutdown: records which VMs run (for StartIfRunning), then applies every running VM's stop action,
    /// all VMs at once. A Save or ShutDown that fails, or a guest that does not shut down within
    /// <paramref name="shutdownTimeoutSeconds"/>, ends in a turn-off: the host is going down either way.
    /// </summary>
    public IReadOnlyList<AutomaticActionOutcome> StopVms(int shutdownTimeoutSeconds = StopOptions.DefaultTimeoutSeconds)
    {
        List<VmConfiguration> running;
        using (Store.LockStore())
        {
            running = [.. Store.List().Vms.Where(v => RuntimeStatus.Read(Store.Folder(v.Id)).Process is not null)];
            // Added to what an earlier stop-vms recorded that no start-vms has used yet (a service stopped twice).
            RunningAtStop earlier = ReadRunningAtStop();
            var record = new RunningAtStop { VmIds = [.. earlier.VmIds.Union(running.Select(v => v.Id))], StoppedAt = DateTimeOffset.UtcNow };
            Store.WriteFile(Store.RunningAtStopFile, JsonSerializer.SerializeToUtf8Bytes(record, ManagementJsonContext.Default.RunningAtStop), "the VMs running at stop");
        }

        var outcomes = new AutomaticActionOutcome[running.Count];
        Parallel.For(0, running.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, running.Count) }, i =>
            outcomes[i] = ApplyStopAction(running[i], shutdownTimeoutSeconds));
        return outcomes;
    }

    /// <summary>
    /// At the host's start: starts each VM whose start action is Start, or StartIfRunning and it was running when the
    /// host stopped (recorded by <see cref="StopVms"/>, or its worker ended with the host without recording an end),
    /// each once its AutomaticStartDelay has passed since this call, in order of delay. Then forgets the record.
    /// </summary>
    /// <param name="sleep">Waits out a delay (tests pass a clock of their own).</param>
    public IReadOnlyList<AutomaticActionOutcome> StartVms(Action<TimeSpan>? sleep = null)
    {
        sleep ??= Thread.Sleep;
        var clock = Stopwatch.StartNew();
        HashSet<Guid> wasRunning = [.. ReadRunningAtStop().VmIds];
        var outcomes = new List<AutomaticActionOutcome>();
        foreach (VmConfiguration vm in Store.List().Vms.Where(v => ShouldStart(v, wasRunning)).OrderBy(v => v.AutomaticStartDelay).ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase))
        {
            TimeSpan wait = TimeSpan.FromSeconds(vm.AutomaticStartDelay) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                sleep(wait);
            }

            string action = vm.AutomaticStartAction.ToString();
            try
            {
                VmActionResult result = Start(vm.Id.ToString());
                outcomes.Add(new AutomaticActionOutcome(result.Vm.Name, action, result.Vm.State));
            }
            catch (ManagementException e)
            {
                outcomes.Add(new AutomaticActionOutcome(vm.Name, action, StateOf(vm), e.UserMessage()));
            }
        }

        File.Delete(Store.RunningAtStopFile);
        return outcomes;
    }

    private bool ShouldStart(VmConfiguration vm, IReadOnlySet<Guid> wasRunning)
    {
        RuntimeStatus status = RuntimeStatus.Read(Store.Folder(vm.Id));
        if (status.Process is not null)
        {
            return false;
        }

        // A live record without its process: the worker went down with the host (power cut, a kill at shutdown).
        bool diedWithHost = status.Record?.IsLive == true;
        return vm.AutomaticStartAction switch
        {
            StartAction.Start => true,
            StartAction.StartIfRunning => wasRunning.Contains(vm.Id) || diedWithHost,
            _ => false,
        };
    }

    private AutomaticActionOutcome ApplyStopAction(VmConfiguration vm, int shutdownTimeoutSeconds)
    {
        string id = vm.Id.ToString(), action = vm.AutomaticStopAction.ToString();
        string failure;
        try
        {
            VmActionResult result = vm.AutomaticStopAction switch
            {
                StopAction.Save => Save(id),
                StopAction.ShutDown => Stop(id, new StopOptions { TimeoutSeconds = shutdownTimeoutSeconds, Force = true }),
                _ => Stop(id, new StopOptions { TurnOff = true }),
            };
            return new AutomaticActionOutcome(result.Vm.Name, action, result.Vm.State);
        }
        catch (ManagementException e)
        {
            failure = e.UserMessage();
        }

        // The host is going down either way: a VM still running is turned off. Not one whose save went through
        // despite the error: it is Saved, and a turn-off would discard that.
        if (vm.AutomaticStopAction == StopAction.TurnOff || RuntimeStatus.Read(Store.Folder(vm.Id)).Process is null)
        {
            return new AutomaticActionOutcome(vm.Name, action, StateOf(vm), failure);
        }

        try
        {
            Stop(id, new StopOptions { TurnOff = true });
            failure += "; turned off instead";
        }
        catch (ManagementException e)
        {
            failure += $"; the turn-off that followed failed too: {e.UserMessage()}";
        }

        return new AutomaticActionOutcome(vm.Name, action, StateOf(vm), failure);
    }

    private VmState StateOf(VmConfiguration vm) => RuntimeStatus.Read(Store.Folder(vm.Id)).State;

    private RunningAtStop ReadRunningAtStop()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Store.RunningAtStopFile), ManagementJsonContext.Default.RunningAtStop) ?? new RunningAtStop();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            // None recorded, or a record cut short: StartIfRunning then goes by the workers that died with the host.
            return new RunningAtStop();
        }
    }
}
