using HyperNest.Management;
using HyperNest.Management.Worker;
using System.Text.Json;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Worker;

/// <summary>The worker's writer of runtime.json: each state change is one atomic replacement.</summary>
internal sealed class RuntimeRecorder(AtomicFile writer, VmFolder folder, HostProcess self) : IVmStateReporter
{
    private readonly object _lock = new();
    private DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    public VmState State { get; private set; } = VmState.Starting;

    /// <summary>kvm or emulated, once chosen; recorded with every state from then on.</summary>
    public string? Accelerator { get; set; }

    public void Write(VmState state) => Save(state, null, null);

    /// <summary>A reset: the run's start time is now (Get-VM's Uptime starts over) and the VM is Running, never Off between.</summary>
    public void Restarted()
    {
        lock (_lock)
        {
            _startedAt = DateTimeOffset.UtcNow;
            Save(VmState.Running, null, null);
        }
    }

    public void End(string reason, RunOutcome outcome = RunOutcome.Ended) => Save(VmState.Off, reason, outcome);

    private void Save(VmState state, string? reason, RunOutcome? outcome)
    {
        lock (_lock)
        {
            State = state;
            var record = new RuntimeRecord
            {
                Pid = self.Pid,
                ProcessStartTicks = self.StartTicks,
                State = state,
                StartedAt = _startedAt,
                EndedAt = state == VmState.Off ? DateTimeOffset.UtcNow : null,
                StopReason = reason,
                Outcome = outcome,
                Accelerator = Accelerator,
            };
            writer.Write(folder.RuntimeFile, JsonSerializer.SerializeToUtf8Bytes(record, ManagementJsonContext.Default.RuntimeRecord));
        }
    }
}
