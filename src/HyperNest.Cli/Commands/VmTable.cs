using HyperNest.Management.Accelerators;
using System.Globalization;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary>Human output: Get-VM's table and Format-List-style details.</summary>
internal static class VmTable
{
    public static void WriteList(TextWriter stdout, IReadOnlyList<VmInfo> vms)
    {
        var rows = new List<string[]> { new[] { "Name", "State", "CPUUsage(%)", "MemoryAssigned(M)", "MemoryDemand(M)", "MemoryStatus", "Uptime", "Status" } };
        rows.AddRange(vms.Select(v => new[]
        {
            v.Name, v.State.ToString(), Number(v.CpuUsage), Number((long)(v.MemoryAssignedBytes >> 20)), Number((long)(v.MemoryDemandBytes >> 20)),
            v.MemoryStatus, Uptime(v.Uptime), v.Status,
        }));
        WriteRows(stdout, rows);
    }

    public static void WriteRows(TextWriter stdout, IReadOnlyList<string[]> rows)
    {
        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length))];
        foreach (string[] row in rows)
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }

    public static void WriteDetails(TextWriter stdout, VmInfo vm)
    {
        VmConfiguration c = vm.Configuration;
        VmMemorySettings m = c.Memory;
        (string, string)[] lines =
        [
            ("Name", vm.Name), ("Id", vm.Id.ToString()), ("State", vm.State.ToString()), ("Status", vm.Status),
            ("Uptime", Uptime(vm.Uptime)), ("CPUUsage(%)", Number(vm.CpuUsage)), ("MemoryAssigned(M)", Number((long)(vm.MemoryAssignedBytes >> 20))),
            ("MemoryDemand(M)", Number((long)(vm.MemoryDemandBytes >> 20))), ("MemoryStatus", vm.MemoryStatus),
            ("MemoryProblem", vm.MemoryProblem ?? "-"),
            ("Accelerator", AcceleratorParser.Format(c.Accelerator) + (vm.RunningAccelerator is { } running && vm.WorkerPid is not null ? $" (running on {running})" : "")),
            ("WorkerPid", vm.WorkerPid is { } pid ? Number(pid) : "-"), ("LastStopReason", vm.LastStopReason ?? "-"),
            ("CreationTime", c.CreationTime.ToString("u", CultureInfo.InvariantCulture)),
            ("Notes", c.Notes ?? "-"), ("AutomaticStartAction", c.AutomaticStartAction.ToString()),
            ("AutomaticStartDelay", Number(c.AutomaticStartDelay)), ("AutomaticStopAction", c.AutomaticStopAction.ToString()),
            ("ProcessorCount", Number(c.ProcessorCount)), ("ExposeVirtualizationExtensions", c.ExposeVirtualizationExtensions.ToString()),
            ("MemoryStartup(M)", Number((long)(m.StartupBytes >> 20))), ("DynamicMemoryEnabled", m.DynamicMemoryEnabled.ToString()),
            ("MemoryMinimum(M)", Number((long)(m.MinimumBytes >> 20))), ("MemoryMaximum(M)", Number((long)(m.MaximumBytes >> 20))),
            ("MemoryBuffer(%)", Number(m.Buffer)), ("MemoryPriority", Number(m.Priority)),
            ("Boot", c.Boot.IsBuiltIn ? "built-in guest" : $"kernel {c.Boot.KernelPath}" + (c.Boot.InitrdPath is null ? string.Empty : $", initrd {c.Boot.InitrdPath}")),
            ("KernelArguments", c.Boot.KernelArguments ?? "-"),
            ("NetworkAdapters", string.Join(", ", c.NetworkAdapters.Select(a => $"{a.Name} ({a.MacAddress})"))),
            ("HardDrives", string.Join(", ", c.HardDrives.Select(d => d.Path + (d.ReadOnly ? " (read-only)" : string.Empty)))),
        ];
        WriteFields(stdout, lines);
    }

    /// <summary>Format-List's layout: one "Key : value" a line, the keys padded to one width.</summary>
    public static void WriteFields(TextWriter stdout, IReadOnlyList<(string Key, string Value)> lines)
    {
        int width = lines.Max(l => l.Key.Length);
        foreach ((string key, string value) in lines)
        {
            stdout.WriteLine($"{key.PadRight(width)} : {value}");
        }
    }

    public static string Uptime(TimeSpan uptime) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalHours:00}:{uptime.Minutes:00}:{uptime.Seconds:00}");

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
