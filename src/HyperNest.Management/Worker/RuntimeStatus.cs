using HyperNest.Kvm;
using System.Text.Json;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Worker;

/// <summary>
/// A VM's live state as the manager sees it: runtime.json, checked against the process it names. A live state whose
/// process is gone (killed, crashed) reads as Off with the reason, never as a stale Running.
/// </summary>
public sealed record RuntimeStatus(VmState State, RuntimeRecord? Record, HostProcess? Process, string? LastStopReason)
{
    public static RuntimeStatus Read(VmFolder folder)
    {
        RuntimeRecord? record = null;
        try
        {
            record = JsonSerializer.Deserialize(File.ReadAllBytes(folder.RuntimeFile), ManagementJsonContext.Default.RuntimeRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RuntimeStatus(NotRunning(folder), null, null, null);
        }
        catch (JsonException e)
        {
            return new RuntimeStatus(NotRunning(folder), null, null, $"runtime.json is unreadable: {e.UserMessage()}");
        }

        if (record is null || !record.IsLive)
        {
            return new RuntimeStatus(NotRunning(folder), record, null, record?.StopReason);
        }

        HostProcess? process = HostProcess.ReadLive(record.Pid, record.ProcessStartTicks);
        return process is null
            ? new RuntimeStatus(NotRunning(folder), record, null, $"the worker process (pid {record.Pid}) ended unexpectedly")
            : new RuntimeStatus(record.State, record, process, null);
    }

    /// <summary>A VM no worker runs is Saved while it has a saved state, else Off.</summary>
    private static VmState NotRunning(VmFolder folder) => folder.HasSavedState ? VmState.Saved : VmState.Off;

    public TimeSpan Uptime => Process is not null && Record is not null ? DateTimeOffset.UtcNow - Record.StartedAt : TimeSpan.Zero;

    /// <summary>Average share of the host's CPUs the worker used since it started, in percent.</summary>
    public int CpuUsage
    {
        get
        {
            double seconds = Uptime.TotalSeconds;
            return Process is null || seconds <= 0
                ? 0
                : (int)Math.Round(Process.CpuTicks / (double)HostProcess.TicksPerSecond / seconds / Environment.ProcessorCount * 100);
        }
    }
}
