using System.Buffers.Binary;
using System.Text.Json;
using HyperNest.Vmm.SavedStates;
using HyperNest.Kvm;
using HyperNest.Vmm.Devices.InKernel;

namespace HyperNest.Vmm.Tests.Devices.InKernel;

/// <summary>The PICs, IOAPIC, PIT and kvmclock saved from one VM and put into another.</summary>
public sealed class InKernelDevicesTests
{
    // struct kvm_pic_state: imr at byte 2; struct kvm_ioapic_state: redirtbl[24] (u64) from byte 24;
    // struct kvm_pit_state2: flags at byte 72 (KVM_PIT_FLAGS_HPET_LEGACY = 1). arch/x86/include/uapi/asm/kvm.h.
    private const int PicImr = 2;
    private const int IoapicRedirection5 = 24 + (5 * 8);
    private const int PitFlags = 72;
    private const uint PitFlagHpetLegacy = 1;

    [Fact]
    public void A_State_Round_Trips_Through_Json_Unchanged()
    {
        InKernelDevicesState state = Sample() with { KvmClock = 123_456_789_012, KvmClockFlags = 6 };

        string json = JsonSerializer.Serialize(state, SavedStateJsonContext.Default.InKernelDevicesState);
        InKernelDevicesState back = JsonSerializer.Deserialize(json, SavedStateJsonContext.Default.InKernelDevicesState)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, SavedStateJsonContext.Default.InKernelDevicesState));
        Assert.Equal(state.Ioapic, back.Ioapic);
        Assert.Equal(state.KvmClock, back.KvmClock);
    }

    public static TheoryData<string, Func<InKernelDevicesState, InKernelDevicesState>> Impossible => new()
    {
        { "Version", s => s with { Version = 9 } },
        { "PicMaster", s => s with { PicMaster = new byte[511] } },
        { "PicSlave", s => s with { PicSlave = [] } },
        { "Ioapic", s => s with { Ioapic = new byte[520] } },
        { "Pit", s => s with { Pit = new byte[64] } },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void An_Impossible_State_Is_Refused_Naming_The_Field(string field, Func<InKernelDevicesState, InKernelDevicesState> spoil)
    {
        var refused = Assert.Throws<InvalidDataException>(() => InKernelDevices.EnsureRestorable(spoil(Sample())));

        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void Chips_And_Pit_Flags_Come_Back_And_Kvmclock_Resumes_At_The_Saved_Value()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using KvmSystem kvm = KvmSystem.Open();
        using KvmVm first = DevicesVm(kvm);
        KvmIrqchip pic = first.GetIrqchip(KvmIrqchip.PicMaster);
        ((Span<byte>)pic.State)[PicImr] = 0xAB;
        first.SetIrqchip(pic);
        KvmIrqchip ioapic = first.GetIrqchip(KvmIrqchip.Ioapic);
        BinaryPrimitives.WriteUInt64LittleEndian(((Span<byte>)ioapic.State)[IoapicRedirection5..], 0x1_0035);
        first.SetIrqchip(ioapic);
        KvmPitState2 pit = first.GetPit2();
        BinaryPrimitives.WriteUInt32LittleEndian(((Span<byte>)pit.Raw)[PitFlags..], PitFlagHpetLegacy);
        first.SetPit2(pit);

        InKernelDevicesState saved = InKernelDevices.Save(first);
        Thread.Sleep(300); // a restore that counted wall-clock time would move kvmclock on by this much

        using KvmVm second = DevicesVm(kvm);
        InKernelDevices.Restore(second, saved);
        ulong clock = second.GetClock().Clock;
        KvmIrqchip picBack = second.GetIrqchip(KvmIrqchip.PicMaster);
        KvmIrqchip ioapicBack = second.GetIrqchip(KvmIrqchip.Ioapic);
        KvmPitState2 pitBack = second.GetPit2();

        Assert.Equal(0xAB, ((ReadOnlySpan<byte>)picBack.State)[PicImr]);
        Assert.Equal(0x1_0035UL, BinaryPrimitives.ReadUInt64LittleEndian(((ReadOnlySpan<byte>)ioapicBack.State)[IoapicRedirection5..]));
        Assert.Equal(PitFlagHpetLegacy, BinaryPrimitives.ReadUInt32LittleEndian(((ReadOnlySpan<byte>)pitBack.Raw)[PitFlags..]));
        Assert.InRange(clock, saved.KvmClock, saved.KvmClock + 150_000_000);
    }

    private static KvmVm DevicesVm(KvmSystem kvm)
    {
        KvmVm vm = kvm.CreateVm();
        vm.CreateIrqchip();
        vm.CreatePit2();
        return vm;
    }

    private static InKernelDevicesState Sample() => new()
    {
        PicMaster = new byte[InKernelDevicesState.IrqchipStateSize],
        PicSlave = new byte[InKernelDevicesState.IrqchipStateSize],
        Ioapic = Enumerable.Range(0, InKernelDevicesState.IrqchipStateSize).Select(i => (byte)i).ToArray(),
        Pit = new byte[InKernelDevicesState.PitStateSize],
    };
}
