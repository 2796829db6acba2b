using HyperNest.Kvm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm;

/// <summary>A boot: the kernel and initrd into guest RAM, the ACPI tables and page tables written, vCPUs at the entry point.</summary>
public sealed partial class VirtualMachine
{
    private void Build(KernelImage kernel, BootFile initrd)
    {
        List<AcpiDevice> devices = BuildPlatform();
        ulong rsdp = AcpiTables.Write(Memory, Config.VcpuCount, devices);
        string commandLine = BuildCommandLine(Config);
        LongMode.WriteTables(Memory);
        LinuxBootInfo boot = LinuxLoader.Load(Memory, kernel, initrd, commandLine, rsdp);
        CreateVcpus(boot);
    }

    /// <summary>
    /// The kernel and initrd open, the kernel's header parsed, both checked against the VM's memory and the command
    /// line; their contents are read when the VM is built, straight into guest RAM.
    /// </summary>
    private sealed class BootInputs : IDisposable
    {
        private readonly BootFile _kernelFile;

        private BootInputs(BootFile kernelFile, KernelImage kernel, BootFile initrd)
        {
            _kernelFile = kernelFile;
            Kernel = kernel;
            Initrd = initrd;
        }

        public KernelImage Kernel { get; }

        public BootFile Initrd { get; }

        public static BootInputs Read(VmConfig config)
        {
            BootFile kernelFile = config.KernelPath is null
                ? BootFile.FromBytes(BuiltInGuest.Load(), BuiltInGuest.Name)
                : BootFile.Open(config.KernelPath, "kernel");
            BootFile? initrd = null;
            try
            {
                KernelImage kernel = KernelImage.Parse(kernelFile, config.KernelPath ?? BuiltInGuest.Name);
                initrd = config.InitrdPath is null ? BootFile.None : BootFile.Open(config.InitrdPath, "initrd");
                LinuxLoader.Check(MemoryLayout.RegionsFor(config.MemoryBytes), kernel, (ulong)initrd.Length, BuildCommandLine(config), out _);
                return new BootInputs(kernelFile, kernel, initrd);
            }
            catch
            {
                initrd?.Dispose();
                kernelFile.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Initrd.Dispose();
            _kernelFile.Dispose();
        }
    }

    private static string BuildCommandLine(VmConfig config)
    {
        var parts = new List<string> { "console=ttyS0", "reboot=k", "panic=1", "pci=off", "nomodeset",
            // The 8042 has no keyboard or mouse behind it: skip the probes that would time out.
            "i8042.noaux", "i8042.nomux", "i8042.dumbkbd",
        };
        if (config.HotplugMemoryBytes != 0)
        {
            // Linux adds the memory virtio-mem plugs as offline sections; this onlines them as they come.
            parts.Add("memhp_default_state=online");
        }

        if (!string.IsNullOrWhiteSpace(config.KernelArguments))
        {
            parts.Add(config.KernelArguments.Trim());
        }

        return string.Join(' ', parts);
    }

    private void CreateVcpus(LinuxBootInfo boot)
    {
        CpuidTable supported = _kvm.GetSupportedCpuid();
        CpuidPolicy.EnsureExposable(supported, Config.ExposeVirtualizationExtensions);

        for (uint id = 0; id < (uint)Config.VcpuCount; id++)
        {
            KvmVcpu kvmVcpu = _vm.CreateVcpu(id);
            var vcpu = new Vcpu(kvmVcpu, Pio, Mmio, this);
            _vcpus.Add(vcpu);
            kvmVcpu.SetCpuid(CpuidPolicy.ForVcpu(supported, id, Config.VcpuCount, Config.ExposeVirtualizationExtensions));
            VcpuSetup.ConfigureLapic(kvmVcpu);
            if (id == 0)
            {
                VcpuSetup.EnterLongMode(kvmVcpu, boot);
            }
        }
    }
}
