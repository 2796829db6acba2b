using System.CommandLine;
using System.Text.Json;
using HyperNest.Cli.Json;
using HyperNest.Kvm;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest debug cpuid --json</c> (hidden): KVM_GET_SUPPORTED_CPUID of this host, recorded as test data for the
/// CPUID policy (tests/HyperNest.Vmm.Tests/Cpu/Recorded).
/// </summary>
public static class DebugCommand
{
    public static Command Create(TextWriter stdout)
    {
        var cpuid = new Command("cpuid", "Print KVM_GET_SUPPORTED_CPUID as JSON") { new Option<bool>("--json") { Description = "JSON (the only format)" } };
        cpuid.SetAction(_ =>
        {
            using KvmSystem kvm = KvmSystem.Open();
            var dump = new CpuidDump(
                KvmModule.Name(KvmModule.Detect()),
                CpuModel(),
                [.. kvm.GetSupportedCpuid().Entries.Select(CpuidEntryJson.From)]);
            stdout.WriteLine(JsonSerializer.Serialize(dump, CliJsonContext.Default.CpuidDump));
            return ExitCodes.Success;
        });
        return new Command("debug", "Diagnostics for HyperNest's developers") { Hidden = true, Subcommands = { cpuid } };
    }

    private static string? CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
}
