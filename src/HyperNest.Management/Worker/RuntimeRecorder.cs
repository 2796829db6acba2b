using System.Text.Json;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Worker;

/// <summary>The worker's writer of runtime.json: each state change is one atomic replacement.</summary>
internal sealed class RuntimeRecorder(AtomicFile writer, VmFolder folder, HostProcess self)
{
    private readonly object _lock = new();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    public VmState State { get; private set; } = VmState.Starting;

    public void Write(VmState state) => Save(state, null);

    public void End(string reason) => Save(VmState.Off, reason);

    private void Save(VmState state, string? reason)
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
            };
            writer.Write(folder.RuntimeFile, JsonSerializer.SerializeToUtf8Bytes(record, ManagementJsonContext.Default.RuntimeRecord));
        }
    }
}
