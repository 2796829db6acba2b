using HyperNest.Management.Worker;
using HyperNest.Vmm;
using HyperNest.Worker.Memory;

namespace HyperNest.Worker.Metering;

/// <summary>
/// Measure-VM's figures for one run, kept on the VM's control thread: the memory assigned to the guest, sampled at each
/// memory tick (about once a second), and, when asked, the vCPU threads' CPU time, the worker's resident set and what
/// the devices moved since the VM was built.
/// </summary>
/// <param name="processorSeconds">The vCPU threads' CPU time so far, in seconds.</param>
/// <param name="devices">What the disks and adapters moved so far.</param>
/// <param name="host">This process's resident set.</param>
/// <param name="clock">Now (tests move it).</param>
internal sealed class ResourceMeter(Func<double> processorSeconds, Func<DeviceUsage> devices, IHostMemory host, Func<DateTimeOffset>? clock = null)
{
    private readonly Func<DateTimeOffset> _clock = clock ?? (() => DateTimeOffset.UtcNow);
    private DateTimeOffset? _startedAt;
    private ulong _samples, _minimum = ulong.MaxValue, _maximum;
    private double _sum;

    /// <summary>The meter of a built VM: its vCPU threads in /proc/self/task, its devices' counters.</summary>
    public static ResourceMeter For(VirtualMachine vm) => new(() => VcpuSeconds(vm), vm.DeviceUsage, new ProcHostMemory());

    /// <summary>The memory assigned to the guest now, in bytes; the first sample starts the metering period.</summary>
    public void Sample(ulong assignedBytes)
    {
        _startedAt ??= _clock();
        _samples++;
        _sum += assignedBytes;
        _minimum = Math.Min(_minimum, assignedBytes);
        _maximum = Math.Max(_maximum, assignedBytes);
    }

    /// <summary>The figures so far, <paramref name="assignedBytes"/> (the memory assigned now) counted as a sample.</summary>
    public VmMeteringReport Report(ulong assignedBytes)
    {
        Sample(assignedBytes);
        DeviceUsage usage = devices();
        DateTimeOffset started = _startedAt!.Value;
        return new VmMeteringReport
        {
            StartedAt = started,
            DurationSeconds = (_clock() - started).TotalSeconds,
            ProcessorSeconds = processorSeconds(),
            AverageMemoryBytes = (ulong)Math.Round(_sum / _samples),
            MinimumMemoryBytes = _minimum,
            MaximumMemoryBytes = _maximum,
            ResidentBytes = host.OwnResidentBytes,
            DiskBytesRead = usage.DiskBytesRead,
            DiskBytesWritten = usage.DiskBytesWritten,
            DiskCapacityBytes = usage.DiskCapacityBytes,
            NetworkBytesReceived = usage.NetworkBytesReceived,
            NetworkBytesSent = usage.NetworkBytesSent,
        };
    }

    /// <summary>The CPU time (user and system, guest time included) of the VM's vCPU threads, from /proc/self/task/TID/stat.</summary>
    private static double VcpuSeconds(VirtualMachine vm)
    {
        int pid = Environment.ProcessId;
        long ticks = vm.Vcpus.Where(v => v.ThreadId != 0).Sum(v => HostProcess.ReadThread(pid, v.ThreadId)?.CpuTicks ?? 0);
        return ticks / (double)HostProcess.TicksPerSecond;
    }
}
