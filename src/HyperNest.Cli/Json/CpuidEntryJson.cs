using System.Globalization;
using HyperNest.Kvm;

namespace HyperNest.Cli.Json;

/// <summary>One KVM_GET_SUPPORTED_CPUID entry as <c>hnest debug cpuid --json</c> prints it: registers in hex.</summary>
public sealed record CpuidEntryJson(string Function, uint Index, uint Flags, string Eax, string Ebx, string Ecx, string Edx)
{
    public static CpuidEntryJson From(KvmCpuidEntry2 e) =>
        new(Hex(e.Function), e.Index, e.Flags, Hex(e.Eax), Hex(e.Ebx), Hex(e.Ecx), Hex(e.Edx));

    private static string Hex(uint value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x8}");
}
