using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>
/// A fabricated host: a temporary directory with sys/module, proc/cpuinfo, proc/meminfo and dev/kvm as a test
/// writes them, and a KVM device query that answers what the test says. Starts as a healthy AMD host: SVM in the
/// CPU flags, kvm_amd nested=1, SVM in the supported CPUID, 16 GiB available. For the emulated host it starts with
/// everything too: qemu-system-x86_64 and apt-get in usr/bin, a static bin/busybox, kernel release
/// <see cref="Release"/> with boot/vmlinuz-release and lib/modules/release listing kvm-amd.ko.
/// </summary>
public sealed class FakeHost : IDisposable
{
    public const uint Vmx = 1u << 5, Svm = 1u << 2;

    public const string Release = "6.1.0-99-fake";

    private readonly string _root = Directory.CreateTempSubdirectory("hnest-host-").FullName;

    public FakeHost()
    {
        Module("kvm_amd", nested: "1");
        CpuInfo("AuthenticAMD", "fpu vme de pse tsc msr pae svm lm");
        MemAvailableKib(16UL << 20);
        Device();
        KernelRelease(Release);
        Executable("usr/bin/qemu-system-x86_64");
        Executable("usr/bin/apt-get");
        StaticBusybox();
        LocalKernel();
    }

    public string Root => _root;

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

    /// <summary>Registers the KVM misc device in sys/class/misc/kvm (what a loaded KVM module does).</summary>
    public FakeHost MiscDevice(string number = "10:232")
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "sys", "class", "misc", "kvm")).FullName, "dev"), number + "\n");
        return this;
    }

    public FakeHost KernelRelease(string? release)
    {
        string file = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "proc", "sys", "kernel")).FullName, "osrelease");
        if (release is null)
        {
            File.Delete(file);
        }
        else
        {
            File.WriteAllText(file, release + "\n");
        }

        return this;
    }

    /// <summary>An executable file at <paramref name="relativePath"/> (mode 755), or a plain file (644).</summary>
    public FakeHost Executable(string relativePath, bool executable = true)
    {
        string file = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, executable
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return this;
    }

    public FakeHost Remove(string relativePath)
    {
        File.Delete(Path.Combine(_root, relativePath));
        return this;
    }

    public FakeHost NoQemu() => Remove("usr/bin/qemu-system-x86_64");

    public FakeHost NoAptGet() => Remove("usr/bin/apt-get");

    public FakeHost NoBusybox() => Remove("bin/busybox");

    public FakeHost StaticBusybox() => Busybox(Elf(interpreter: false));

    public FakeHost DynamicBusybox() => Busybox(Elf(interpreter: true));

    public FakeHost Busybox(byte[] contents)
    {
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName, "busybox"), contents);
        return this;
    }

    /// <summary>boot/vmlinuz-<see cref="Release"/> and lib/modules/<see cref="Release"/>, its modules.dep listing kvm-amd.ko when asked.</summary>
    public FakeHost LocalKernel(bool kernel = true, bool modules = true, bool kvmAmd = true)
    {
        string vmlinuz = Path.Combine(_root, "boot", $"vmlinuz-{Release}");
        string moduleDirectory = Path.Combine(_root, "lib", "modules", Release);
        if (File.Exists(vmlinuz))
        {
            File.Delete(vmlinuz);
        }

        if (Directory.Exists(moduleDirectory))
        {
            Directory.Delete(moduleDirectory, recursive: true);
        }

        if (kernel)
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "boot")).FullName, $"vmlinuz-{Release}"), "bzImage");
        }

        if (modules)
        {
            Directory.CreateDirectory(moduleDirectory);
            File.WriteAllText(Path.Combine(moduleDirectory, "modules.dep"), kvmAmd
                ? "kernel/arch/x86/kvm/kvm.ko.xz: kernel/virt/lib/irqbypass.ko.xz\nkernel/arch/x86/kvm/kvm-amd.ko.xz: kernel/arch/x86/kvm/kvm.ko.xz kernel/virt/lib/irqbypass.ko.xz\n"
                : "kernel/drivers/block/loop.ko.xz:\n");
        }

        return this;
    }

    public FakeHost NoLocalKernel() => LocalKernel(kernel: false, modules: false);

    /// <summary>A minimal little-endian ELF64 executable: PT_PHDR, PT_INTERP when dynamic, PT_LOAD.</summary>
    public static byte[] Elf(bool interpreter)
    {
        uint[] types = interpreter ? [6, 3, 1] : [1];
        byte[] elf = new byte[64 + (56 * types.Length)];
        elf[0] = 0x7f;
        elf[1] = (byte)'E';
        elf[2] = (byte)'L';
        elf[3] = (byte)'F';
        elf[4] = 2; // ELFCLASS64
        elf[5] = 1; // little-endian
        elf[6] = 1;
        BitConverter.TryWriteBytes(elf.AsSpan(0x10), (ushort)2); // ET_EXEC
        BitConverter.TryWriteBytes(elf.AsSpan(0x12), (ushort)0x3e); // x86-64
        BitConverter.TryWriteBytes(elf.AsSpan(0x20), 64UL); // e_phoff
        BitConverter.TryWriteBytes(elf.AsSpan(0x36), (ushort)56); // e_phentsize
        BitConverter.TryWriteBytes(elf.AsSpan(0x38), (ushort)types.Length); // e_phnum
        for (int i = 0; i < types.Length; i++)
        {
            BitConverter.TryWriteBytes(elf.AsSpan(64 + (56 * i)), types[i]);
        }

        return elf;
    }

    public HostEnvironment Environment() => HostEnvironment.Under(_root, path =>
    {
        QueriedPath = path;
        return Query(path);
    }, version: "9.8.7");

    public HostFacts Facts() => HostFacts.Probe(Environment());

    public NestedHostVerdict Verdict() => NestedHostVerdict.For(Facts());

    public EmulatedHostFacts EmulatedFacts() => EmulatedHostFacts.Probe(Environment());

    public EmulatedHostVerdict EmulatedVerdict() => EmulatedHostVerdict.For(EmulatedFacts());

    public NestedHostStatus Status() => NestedHostStatus.Evaluate(Environment());

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
