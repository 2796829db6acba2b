using System.Globalization;
using System.Text.Json;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// KVM_GET_SUPPORTED_CPUID tables recorded on real hosts with <c>hnest debug cpuid --json</c>, stored in Recorded/:
/// kvm-pvm-amd-epyc.json (this project's test machine: kvm_pvm on an AMD EPYC VM) and lab-kvm-amd-svm.json (the lab's
/// QEMU-TCG host, qemu64,+svm, kvm_amd nested=1).
/// </summary>
public static class RecordedCpuid
{
    public const string Pvm = "kvm-pvm-amd-epyc.json";
    public const string LabAmd = "lab-kvm-amd-svm.json";

    public static (string KvmModule, CpuidTable Table) Load(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cpu", "Recorded", name)));
        var entries = new List<KvmCpuidEntry2>();
        foreach (JsonElement e in json.RootElement.GetProperty("entries").EnumerateArray())
        {
            entries.Add(new KvmCpuidEntry2(
                Hex(e, "function"), e.GetProperty("index").GetUInt32(), e.GetProperty("flags").GetUInt32(),
                Hex(e, "eax"), Hex(e, "ebx"), Hex(e, "ecx"), Hex(e, "edx")));
        }

        return (json.RootElement.GetProperty("kvmModule").GetString()!, new CpuidTable(entries));
    }

    private static uint Hex(JsonElement entry, string name) =>
        uint.Parse(entry.GetProperty(name).GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
