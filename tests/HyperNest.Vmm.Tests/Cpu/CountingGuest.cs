using HyperNest.Kvm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// A one-vCPU VM built from raw KVM calls, running a guest that counts in RBX and at <see cref="CountAddress"/>,
/// writes each count to port 0x3E0, reads port 0x3E4 and echoes what it read to port 0x3E8, forever:
/// <code>
/// loop: inc rbx; mov [0x2000], rbx
///       mov edx, 0x3e0; mov eax, ebx; out dx, eax
///       mov edx, 0x3e4; in eax, dx
///       mov edx, 0x3e8; out dx, eax
///       jmp loop
/// </code>
/// The guest starts in long mode at <see cref="CodeAddress"/>, with the page tables the boot path writes.
/// </summary>
internal sealed class CountingGuest : IDisposable, IVcpuExitSink
{
    public const ulong CodeAddress = 0x10_0000;
    public const ulong CountAddress = 0x2000;
    public const ulong MemorySize = 4 * MemoryLayout.MiB;

    private static readonly byte[] Code =
    [
        0x48, 0xFF, 0xC3,                               // inc rbx
        0x48, 0x89, 0x1C, 0x25, 0x00, 0x20, 0x00, 0x00, // mov [0x2000], rbx
        0xBA, 0xE0, 0x03, 0x00, 0x00,                   // mov edx, 0x3e0
        0x89, 0xD8,                                     // mov eax, ebx
        0xEF,                                           // out dx, eax
        0xBA, 0xE4, 0x03, 0x00, 0x00,                   // mov edx, 0x3e4
        0xED,                                           // in eax, dx
        0xBA, 0xE8, 0x03, 0x00, 0x00,                   // mov edx, 0x3e8
        0xEF,                                           // out dx, eax
        0xEB, 0xDF,                                     // jmp loop (-33)
    ];

    private readonly KvmSystem _kvm;

    private CountingGuest(KvmSystem kvm, KvmVm vm, GuestMemory memory)
    {
        _kvm = kvm;
        Vm = vm;
        Memory = memory;
        var pio = new Bus();
        pio.Register(GuestPorts.Base, GuestPorts.Length, Ports);
        KvmVcpu = vm.CreateVcpu(0);
        Vcpu = new Vcpu(KvmVcpu, pio, new Bus(), this);
    }

    public KvmVm Vm { get; }

    public GuestMemory Memory { get; }

    public GuestPorts Ports { get; } = new();

    public Vcpu Vcpu { get; }

    /// <summary>The KVM vCPU under <see cref="Vcpu"/>, for looking at what KVM holds.</summary>
    public KvmVcpu KvmVcpu { get; }

    /// <summary>Why the vCPU stopped on its own (crash, unexpected exit), for assertion messages.</summary>
    public string? StopDetail { get; private set; }

    /// <summary>
    /// A VM whose memory and in-kernel devices are ready; <paramref name="boot"/> sets the vCPU up to run the
    /// guest from its first instruction (otherwise it waits for a restored state). <paramref name="memoryImage"/>
    /// is copied into guest RAM instead of writing tables and code.
    /// </summary>
    public static CountingGuest Create(bool boot, ReadOnlySpan<byte> memoryImage = default)
    {
        KvmSystem kvm = KvmSystem.Open();
        KvmVm vm = kvm.CreateVm();
        var memory = new GuestMemory(MemorySize);
        vm.SetTssAddress((uint)MemoryLayout.TssAddress);
        vm.SetIdentityMapAddress(MemoryLayout.IdentityMapAddress);
        vm.CreateIrqchip();
        vm.CreatePit2();
        GuestMemoryRegion ram = memory.Regions[0];
        vm.SetUserMemoryRegion(0, ram.GuestPhysicalAddress, ram.Size, memory.HostAddressOf(ram));
        if (memoryImage.IsEmpty)
        {
            LongMode.WriteTables(memory);
            memory.Write(CodeAddress, Code);
        }
        else
        {
            memory.Write(0, memoryImage);
        }

        var guest = new CountingGuest(kvm, vm, memory);
        if (boot)
        {
            guest.Boot(kvm.GetSupportedCpuid());
        }

        return guest;
    }

    public byte[] MemoryImage() => Memory.GetSpan(0, (int)MemorySize).ToArray();

    /// <summary>Waits until the vCPU reaches <paramref name="state"/>; fails naming why it stopped if it did.</summary>
    public void WaitFor(VcpuRunState state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Vcpu.State != state)
        {
            Assert.True(Vcpu.State != VcpuRunState.Exited || state == VcpuRunState.Exited, $"the vCPU exited: {StopDetail}");
            Assert.True(DateTime.UtcNow < deadline, $"the vCPU is {Vcpu.State}, not {state}, after 30 s ({Ports.Events.Count} port events)");
            Thread.Sleep(5);
        }
    }

    public void OnStopRequested(uint vcpuId, VmStopReason reason, string? detail) => StopDetail = $"{reason}: {detail}";

    public void Dispose()
    {
        Vcpu.Dispose();
        Vm.Dispose();
        Memory.Dispose();
        _kvm.Dispose();
    }

    /// <summary>As the VMM sets up a boot vCPU, with the guest's code as the entry point.</summary>
    private void Boot(CpuidTable supported)
    {
        KvmVcpu.SetCpuid(CpuidPolicy.ForVcpu(supported, apicId: 0, vcpuCount: 1, exposeVirtualizationExtensions: false));
        VcpuSetup.ConfigureLapic(KvmVcpu);
        VcpuSetup.EnterLongMode(KvmVcpu, new LinuxBootInfo(CodeAddress, ZeroPage: 0, InitrdAddress: 0, InitrdSize: 0));
    }
}
