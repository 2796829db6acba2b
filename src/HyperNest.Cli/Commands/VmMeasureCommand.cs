using System.CommandLine;
using System.Globalization;
using HyperNest.Cli.Json;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm measure NAME</c>: Measure-VM, the running VM's resource use since its run began.</summary>
internal static class VmMeasureCommand
{
    public static Command Create(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("measure", "Show a running VM's resource use since it started (Measure-VM): CPU, memory, disk and network", parse =>
        {
            VmMeasurement m = VmCli.Manager().Measure(parse.GetValue(name)!);
            if (parse.GetValue(json))
            {
                VmCli.WriteJson(stdout, m, CliJsonContext.Default.VmMeasurement);
                return;
            }

            VmTable.WriteFields(stdout,
            [
                ("VMName", m.VmName), ("VMId", m.VmId.ToString()), ("MeteringDuration", VmTable.Uptime(m.MeteringDuration)),
                ("AverageProcessorUsage(MHz)", VmTable.Number((long)m.AverageProcessorUsageMHz)),
                ("ProcessorTime(s)", m.ProcessorTime.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)),
                ("AverageMemoryUsage(M)", Megabytes(m.AverageMemoryUsageBytes)), ("MaximumMemoryUsage(M)", Megabytes(m.MaximumMemoryUsageBytes)),
                ("MinimumMemoryUsage(M)", Megabytes(m.MinimumMemoryUsageBytes)), ("Resident(M)", Megabytes(m.ResidentBytes)),
                ("TotalDiskAllocation(M)", Megabytes((ulong)m.TotalDiskAllocationBytes)),
                ("AggregatedDiskDataRead(M)", Megabytes((ulong)m.AggregatedDiskDataReadBytes)),
                ("AggregatedDiskDataWritten(M)", Megabytes((ulong)m.AggregatedDiskDataWrittenBytes)),
                ("NetworkInbound(M)", Megabytes((ulong)m.NetworkInboundBytes)), ("NetworkOutbound(M)", Megabytes((ulong)m.NetworkOutboundBytes)),
                ("Accelerator", m.Accelerator ?? "-"),
            ]);
        }, name, json);
    }

    /// <summary>Hyper-V's megabytes (MiB), rounded down.</summary>
    private static string Megabytes(ulong bytes) => VmTable.Number((long)(bytes >> 20));
}
