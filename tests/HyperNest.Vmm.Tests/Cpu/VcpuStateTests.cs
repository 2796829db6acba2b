using System.Text.Json;
using HyperNest.Vmm.SavedStates;
using HyperNest.Vmm.Cpu;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>What a saved vCPU state is: a JSON record that survives the round trip, and what restore refuses.</summary>
public sealed class VcpuStateTests
{
    private const int XsaveSize = 4096;
    private const int NoNestedState = 0;

    [Fact]
    public void A_State_Round_Trips_Through_Json_Unchanged()
    {
        VcpuState state = Sample() with
        {
            Msrs = [new MsrValue(0x10, 123_456_789), new MsrValue(0xC000_0080, 0xD01)],
            UnreadableMsrs = [0x4B56_4D07],
            NestedState = NestedBlob(200),
            TscKhz = 2_445_424,
        };

        string json = JsonSerializer.Serialize(state, SavedStateJsonContext.Default.VcpuState);
        VcpuState back = JsonSerializer.Deserialize(json, SavedStateJsonContext.Default.VcpuState)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, SavedStateJsonContext.Default.VcpuState));
        Assert.Equal(state.Msrs, back.Msrs);
        Assert.Equal(state.Registers, back.Registers);
        Assert.Equal(state.Xsave, back.Xsave);
        Assert.Equal(state.NestedState, back.NestedState);
        Assert.Contains("\"Rip\":1048576", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_State_Without_Nested_State_Comes_Back_Without_It()
    {
        string json = JsonSerializer.Serialize(Sample(), SavedStateJsonContext.Default.VcpuState);

        Assert.Null(JsonSerializer.Deserialize(json, SavedStateJsonContext.Default.VcpuState)!.NestedState);
    }

    [Fact]
    public void A_Well_Formed_State_Is_Restorable() => Sample().EnsureRestorable(0, XsaveSize, NoNestedState);

    public static TheoryData<string, Func<VcpuState, VcpuState>> Impossible => new()
    {
        { "Version", s => s with { Version = 2 } },
        { "VcpuId", s => s with { VcpuId = 1 } },
        { "Cpuid", s => s with { Cpuid = [] } },
        { "Xsave", s => s with { Xsave = new byte[100] } },
        { "Xsave", s => s with { Xsave = new byte[XsaveSize + 64] } },
        { "Xcrs", s => s with { Xcrs = [.. Enumerable.Range(0, 17).Select(i => new XcrValue((uint)i, 1))] } },
        { "Lapic", s => s with { Lapic = new byte[1000] } },
        { "VcpuEvents", s => s with { VcpuEvents = new byte[63] } },
        { "MpState", s => s with { MpState = 7 } },
        { "InterruptBitmap", s => s with { SpecialRegisters = s.SpecialRegisters with { InterruptBitmap = new ulong[3] } } },
        { "NestedState", s => s with { NestedState = NestedBlob(200) } },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void An_Impossible_State_Is_Refused_Naming_The_Field(string field, Func<VcpuState, VcpuState> spoil)
    {
        var refused = Assert.Throws<InvalidDataException>(() => spoil(Sample()).EnsureRestorable(0, XsaveSize, NoNestedState));

        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_State_Is_Refused_When_Larger_Than_The_Host_Takes_Or_When_Its_Size_Field_Disagrees()
    {
        VcpuState tooLarge = Sample() with { NestedState = NestedBlob(300) };
        byte[] lying = NestedBlob(200);
        lying[4] = 199;

        Assert.Throws<InvalidDataException>(() => tooLarge.EnsureRestorable(0, XsaveSize, nestedStateMaxSize: 256));
        Assert.Throws<InvalidDataException>(() => (Sample() with { NestedState = lying }).EnsureRestorable(0, XsaveSize, 256));
        (Sample() with { NestedState = NestedBlob(200) }).EnsureRestorable(0, XsaveSize, 256);
    }

    [Fact]
    public void A_Smaller_Xsave_Image_Than_The_Vm_Uses_Is_Accepted_Since_Kvm_Takes_It_Padded()
    {
        Sample().EnsureRestorable(0, xsaveSize: 8192, NoNestedState);
    }

    /// <summary>A state with every field well-formed: what the checks start from.</summary>
    internal static VcpuState Sample()
    {
        var segment = new SegmentRegister(0, 0xFFFF_FFFF, 0x10, 0xB, 1, 0, 0, 1, 1, 1, 0, 0);
        return new VcpuState
        {
            VcpuId = 0,
            Cpuid = [new CpuidLeaf(0, 0, 0, 0xD, 0x756E_6547, 0x6C65_746E, 0x4965_6E69)],
            Registers = new GeneralRegisters { Rip = 0x10_0000, Rflags = 2, Rbx = 41 },
            SpecialRegisters = new SpecialRegisters
            {
                Cs = segment, Ds = segment, Es = segment, Fs = segment, Gs = segment, Ss = segment, Tr = segment, Ldt = segment,
                Gdt = new DescriptorTable(0x500, 47), Idt = new DescriptorTable(0x530, 7),
                Cr0 = 0x8000_0011, Cr3 = 0x9000, Cr4 = 0x20, Efer = 0x500, ApicBase = 0xFEE0_0900,
            },
            Xsave = new byte[XsaveSize],
            Xcrs = [new XcrValue(0, 1)],
            Lapic = new byte[VcpuState.LapicSize],
            VcpuEvents = new byte[VcpuState.VcpuEventsSize],
            DebugRegisters = new DebugRegisters(0, 0, 0, 0, 0xFFFF_0FF0, 0x400),
        };
    }

    private static byte[] NestedBlob(int size)
    {
        byte[] blob = new byte[size];
        BitConverter.TryWriteBytes(blob.AsSpan(4), (uint)size);
        return blob;
    }
}
