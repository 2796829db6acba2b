using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>
/// A fabricated host: a temporary directory with sys/module, proc/cpuinfo, proc/meminfo and dev/kvm as a test
/// writes them, and a KVM device query that answers what the test says. Starts as a healthy AMD host: SVM in the
/// CPU flags, kvm_amd nested=1, SVM in the supported CPUID, 16 GiB available.
/// </summary>
public sealed class FakeHost : IDisposable
{
    public const uint Vmx = 1u << 5, Svm = 1u << 2;

    private readonly string _root = Directory.CreateTempSubdirectory("hnest-host-").FullName;

    public FakeHost()
    {
        Module("kvm_amd", nested: "1");
        CpuInfo("AuthenticAMD", "fpu vme de pse tsc msr pae svm lm");
        MemAvailableKib(16UL << 20);
        Device();
    }

    /// <summary>What the device query answers; a throwing query stands in for a failed open.</summary>
    public Func<string, KvmDeviceInfo> Query { get; set; } = _ => Answer(12, leaf1Ecx: 0, ext1Ecx: Svm);

    public string? QueriedPath { get; private set; }

    public static KvmDeviceInfo Answer(int apiVersion, uint leaf1Ecx, uint ext1Ecx) => new(apiVersion, new CpuidTable(
    [
        new(0x1, 0, 0, 0, 0, leaf1Ecx, 0),
        new(0x8000_0001, 0, 0, 0, 0, ext1Ecx, 0),
    ]));

    public FakeHost Module(string name, string? nested = null)
    {
        foreach (string existing in new[] { "kvm_amd", "kvm_intel", "kvm_pvm" })
        {
            string directory = Path.Combine(_root, "sys", "module", existing);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        string parameters = Directory.CreateDirectory(Path.Combine(_root, "sys", "module", name, "parameters")).FullName;
        if (nested is not null)
        {
            File.WriteAllText(Path.Combine(parameters, "nested"), nested + "\n");
        }

        return this;
    }

    public FakeHost NoModule()
    {
        Module("kvm_amd");
        Directory.Delete(Path.Combine(_root, "sys", "module", "kvm_amd"), recursive: true);
        return this;
    }

    public FakeHost CpuInfo(string vendor, string flags)
    {
        string proc = Directory.CreateDirectory(Path.Combine(_root, "proc")).FullName;
        string cpu = $"processor\t: {{0}}\nvendor_id\t: {vendor}\ncpu family\t: 25\nmodel name\t: Fabricated CPU\nflags\t\t: {flags}\n\n";
        File.WriteAllText(Path.Combine(proc, "cpuinfo"), string.Format(null, cpu, 0) + string.Format(null, cpu, 1));
        return this;
    }

    public FakeHost MemAvailableKib(ulong kib)
    {
        string proc = Directory.CreateDirectory(Path.Combine(_root, "proc")).FullName;
        File.WriteAllText(Path.Combine(proc, "meminfo"), $"MemTotal:       33554432 kB\nMemFree:         1048576 kB\nMemAvailable:   {kib,8} kB\n");
        return this;
    }

    public FakeHost Device()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "dev")).FullName, "kvm"), "");
        return this;
    }

    public FakeHost NoDevice()
    {
        File.Delete(Path.Combine(_root, "dev", "kvm"));
        return this;
    }

    public HostFacts Facts() => HostFacts.Probe(HostEnvironment.Under(_root, path =>
    {
        QueriedPath = path;
        return Query(path);
    }, version: "9.8.7"));

    public NestedHostVerdict Verdict() => NestedHostVerdict.For(Facts());

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
