using System.Globalization;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// Measure-VM. Metering is always on: the worker's counters cost an addition per disk request and frame and a /proc
/// read per question, so there is nothing to enable (Hyper-V's Enable-VMResourceMetering has no counterpart), and
/// the figures cover the VM's current run (its worker's life).
/// </summary>
public sealed partial class VmManager
{
    /// <summary>The running (or paused) VM's resource use since its run began; another state is refused.</summary>
    public VmMeasurement Measure(string name)
    {
        VmConfiguration config = Find(name);
        RuntimeStatus status = RuntimeStatus.Read(Store.Folder(config.Id));
        if (status.State is not (VmState.Running or VmState.Paused or VmState.Stopping))
        {
            throw new VmStateException(
                $"Cannot measure '{config.Name}' while it is {status.State}: its figures are counted by its worker, which runs only while the VM runs.", status.State);
        }

        VmMeteringReport report = Command(config, new MeteringRequest()).Metering
            ?? throw new VmOperationException($"the worker of '{config.Name}' answered without figures: restart the VM with this hnest");
        return new VmMeasurement
        {
            VmName = config.Name,
            VmId = config.Id,
            MeteringDuration = TimeSpan.FromSeconds(report.DurationSeconds),
            AverageProcessorUsageMHz = report.DurationSeconds <= 0 ? 0 : (ulong)Math.Round(report.ProcessorSeconds / report.DurationSeconds * ProcessorMegahertz()),
            ProcessorTime = TimeSpan.FromSeconds(report.ProcessorSeconds),
            AverageMemoryUsageBytes = report.AverageMemoryBytes,
            MaximumMemoryUsageBytes = report.MaximumMemoryBytes,
            MinimumMemoryUsageBytes = report.MinimumMemoryBytes,
            ResidentBytes = report.ResidentBytes,
            TotalDiskAllocationBytes = report.DiskCapacityBytes,
            AggregatedDiskDataReadBytes = report.DiskBytesRead,
            AggregatedDiskDataWrittenBytes = report.DiskBytesWritten,
            NetworkInboundBytes = report.NetworkBytesReceived,
            NetworkOutboundBytes = report.NetworkBytesSent,
            Accelerator = status.Record?.Accelerator,
        };
    }

    /// <summary>One logical processor's clock in MHz: the first "cpu MHz" line of /proc/cpuinfo, 0 when there is none.</summary>
    internal static double ProcessorMegahertz(string cpuinfo = "/proc/cpuinfo")
    {
        try
        {
            foreach (string line in File.ReadLines(cpuinfo))
            {
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal)
                    && double.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz))
                {
                    return mhz;
                }
            }
        }
        catch (IOException)
        {
            // No cpuinfo: the average stays 0 rather than made up.
        }

        return 0;
    }
}
