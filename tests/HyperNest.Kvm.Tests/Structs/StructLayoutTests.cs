using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm.Tests.Structs;

/// <summary>The structs crossing the ioctl boundary have the sizes and offsets of include/uapi (x86-64).</summary>
public sealed class StructLayoutTests
{
    public static TheoryData<string, Type, int> LinuxSizes => new()
    {
        { "kvm_regs", typeof(KvmRegs), 144 },
        { "kvm_sregs", typeof(KvmSregs), 312 },
        { "kvm_segment", typeof(KvmSegment), 24 },
        { "kvm_dtable", typeof(KvmDtable), 16 },
        { "kvm_fpu", typeof(KvmFpu), 416 },
        { "kvm_cpuid_entry2", typeof(KvmCpuidEntry2), 40 },
        { "kvm_msr_entry", typeof(KvmMsrEntry), 16 },
        { "kvm_lapic_state", typeof(KvmLapicState), 1024 },
        { "kvm_irqchip", typeof(KvmIrqchip), 520 },
        { "kvm_pit_state2", typeof(KvmPitState2), 112 },
        { "kvm_clock_data", typeof(KvmClockData), 48 },
        { "kvm_userspace_memory_region", typeof(KvmUserspaceMemoryRegion), 32 },
        { "kvm_irqfd", typeof(KvmIrqfd), 32 },
        { "kvm_ioeventfd", typeof(KvmIoeventfd), 64 },
        { "kvm_pit_config", typeof(KvmPitConfig), 64 },
        { "kvm_irq_level", typeof(KvmIrqLevel), 8 },
        { "kvm_xcrs", typeof(KvmXcrs), 392 },
        { "kvm_xcr", typeof(KvmXcr), 16 },
        { "kvm_vcpu_events", typeof(KvmVcpuEvents), 64 },
        { "kvm_debugregs", typeof(KvmDebugRegs), 128 },
    };

    public static TheoryData<Type, string, int> LinuxOffsets => new()
    {
        { typeof(KvmRegs), nameof(KvmRegs.Rip), 128 },
        { typeof(KvmRegs), nameof(KvmRegs.Rflags), 136 },
        { typeof(KvmSregs), nameof(KvmSregs.Ldt), 0xA8 },
        { typeof(KvmSregs), nameof(KvmSregs.Gdt), 0xC0 },
        { typeof(KvmSregs), nameof(KvmSregs.Idt), 0xD0 },
        { typeof(KvmSregs), nameof(KvmSregs.Cr0), 0xE0 },
        { typeof(KvmSregs), nameof(KvmSregs.Cr3), 0xF0 },
        { typeof(KvmSregs), nameof(KvmSregs.Efer), 0x108 },
        { typeof(KvmSregs), nameof(KvmSregs.ApicBase), 0x110 },
        { typeof(KvmSregs), nameof(KvmSregs.PendingInterrupts), 0x118 },
        { typeof(KvmSegment), nameof(KvmSegment.Limit), 8 },
        { typeof(KvmSegment), nameof(KvmSegment.Selector), 12 },
        { typeof(KvmSegment), nameof(KvmSegment.Type), 14 },
        { typeof(KvmSegment), nameof(KvmSegment.L), 19 },
        { typeof(KvmSegment), nameof(KvmSegment.Unusable), 22 },
        { typeof(KvmFpu), nameof(KvmFpu.Fcw), 128 },
        { typeof(KvmFpu), nameof(KvmFpu.LastIp), 136 },
        { typeof(KvmFpu), nameof(KvmFpu.Xmm), 152 },
        { typeof(KvmFpu), nameof(KvmFpu.Mxcsr), 408 },
        { typeof(KvmCpuidEntry2), nameof(KvmCpuidEntry2.Edx), 24 },
        { typeof(KvmMsrEntry), nameof(KvmMsrEntry.Data), 8 },
        { typeof(KvmIrqchip), nameof(KvmIrqchip.State), 8 },
        { typeof(KvmClockData), nameof(KvmClockData.Realtime), 16 },
        { typeof(KvmClockData), nameof(KvmClockData.HostTsc), 24 },
        { typeof(KvmUserspaceMemoryRegion), nameof(KvmUserspaceMemoryRegion.UserspaceAddress), 24 },
        { typeof(KvmIrqfd), nameof(KvmIrqfd.ResampleFd), 12 },
        { typeof(KvmIoeventfd), nameof(KvmIoeventfd.Address), 8 },
        { typeof(KvmIoeventfd), nameof(KvmIoeventfd.Length), 16 },
        { typeof(KvmIoeventfd), nameof(KvmIoeventfd.Fd), 20 },
        { typeof(KvmIoeventfd), nameof(KvmIoeventfd.Flags), 24 },
        { typeof(KvmXcrs), nameof(KvmXcrs.Xcrs), 8 },
        { typeof(KvmXcr), nameof(KvmXcr.Value), 8 },
        { typeof(KvmVcpuEvents), nameof(KvmVcpuEvents.NmiPending), 12 },
        { typeof(KvmVcpuEvents), nameof(KvmVcpuEvents.SipiVector), 16 },
        { typeof(KvmVcpuEvents), nameof(KvmVcpuEvents.Flags), 20 },
        { typeof(KvmVcpuEvents), nameof(KvmVcpuEvents.Smm), 24 },
        { typeof(KvmDebugRegs), nameof(KvmDebugRegs.Dr6), 32 },
        { typeof(KvmDebugRegs), nameof(KvmDebugRegs.Dr7), 40 },
        { typeof(KvmDebugRegs), nameof(KvmDebugRegs.Flags), 48 },
    };

    /// <summary>
    /// Both the size the runtime lays out (<see cref="RuntimeHelpers.SizeOf"/> is <c>Unsafe.SizeOf&lt;T&gt;()</c>,
    /// what a pointer to the struct covers) and the marshalled size.
    /// </summary>
    [Theory]
    [MemberData(nameof(LinuxSizes))]
    public void Struct_Sizes_Equal_Linux(string name, Type type, int linux)
    {
        Assert.True(linux == RuntimeHelpers.SizeOf(type.TypeHandle), $"{name} is {RuntimeHelpers.SizeOf(type.TypeHandle)} bytes, Linux says {linux}");
        Assert.True(linux == Marshal.SizeOf(type), $"{name} marshals to {Marshal.SizeOf(type)} bytes, Linux says {linux}");
    }

    [Fact]
    public void Unsafe_SizeOf_Agrees_For_The_Structs_Passed_By_Pointer()
    {
        Assert.Equal(
            [144, 312, 416, 40, 1024, 520, 112, 48, 32, 392, 64, 128],
            [
                Unsafe.SizeOf<KvmRegs>(), Unsafe.SizeOf<KvmSregs>(), Unsafe.SizeOf<KvmFpu>(), Unsafe.SizeOf<KvmCpuidEntry2>(),
                Unsafe.SizeOf<KvmLapicState>(), Unsafe.SizeOf<KvmIrqchip>(), Unsafe.SizeOf<KvmPitState2>(),
                Unsafe.SizeOf<KvmClockData>(), Unsafe.SizeOf<KvmUserspaceMemoryRegion>(),
                Unsafe.SizeOf<KvmXcrs>(), Unsafe.SizeOf<KvmVcpuEvents>(), Unsafe.SizeOf<KvmDebugRegs>(),
            ]);
    }

    [Theory]
    [MemberData(nameof(LinuxOffsets))]
    public void Field_Offsets_Equal_Linux(Type type, string field, int linux)
    {
        Assert.Equal(linux, (int)Marshal.OffsetOf(type, field));
    }
}
