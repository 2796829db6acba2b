using System.Buffers.Binary;

namespace HyperNest.Vmm.Cpu;

/// <summary>
/// Everything KVM holds for one vCPU, as <see cref="Vcpu.Save"/> read it and <see cref="Vcpu.Restore"/> puts it back
/// (the order and why: Vcpu.State.cs). Kernel structs whose contents HyperNest does not interpret are carried as
/// the kernel lays them out (<see cref="Xsave"/>, <see cref="Lapic"/>, <see cref="VcpuEvents"/>,
/// <see cref="NestedState"/>); the rest is spelled out. Serialized with <see cref="SavedStates.SavedStateJsonContext"/>.
/// </summary>
public sealed record VcpuState
{
    /// <summary>The shape this build writes and the only one it reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>struct kvm_lapic_state: the local APIC register page (api.rst §4.57).</summary>
    public const int LapicSize = 1024;

    /// <summary>struct kvm_vcpu_events (api.rst §4.31).</summary>
    public const int VcpuEventsSize = 64;

    /// <summary>KVM_MAX_XCRS.</summary>
    public const int MaxXcrs = 16;

    /// <summary>sizeof(struct kvm_nested_state) without data (api.rst §4.114).</summary>
    public const int NestedStateHeaderSize = 128;

    private const int LegacyXsaveSize = 4096;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The vCPU id (the APIC id, api.rst §4.7) the state was taken from; restored only onto the same id.</summary>
    public uint VcpuId { get; init; }

    /// <summary>The CPUID table the vCPU had (KVM_GET_CPUID2), set first on restore so the guest sees the same CPU.</summary>
    public CpuidLeaf[] Cpuid { get; init; } = [];

    public required GeneralRegisters Registers { get; init; }

    public required SpecialRegisters SpecialRegisters { get; init; }

    /// <summary>KVM_GET_XSAVE(2): x87, SSE and the extended state, at least 4096 bytes (api.rst §4.42, §4.43).</summary>
    public byte[] Xsave { get; init; } = [];

    public XcrValue[] Xcrs { get; init; } = [];

    /// <summary>Every MSR of KVM_GET_MSR_INDEX_LIST that KVM_GET_MSRS read, in list order; IA32_TSC (0x10) among them.</summary>
    public MsrValue[] Msrs { get; init; } = [];

    /// <summary>The listed MSRs KVM_GET_MSRS refused to read (so not saved); for the record.</summary>
    public uint[] UnreadableMsrs { get; init; } = [];

    /// <summary>KVM_GET_LAPIC: <see cref="LapicSize"/> bytes.</summary>
    public byte[] Lapic { get; init; } = [];

    /// <summary>KVM_GET_VCPU_EVENTS: <see cref="VcpuEventsSize"/> bytes.</summary>
    public byte[] VcpuEvents { get; init; } = [];

    /// <summary>KVM_MP_STATE_* (api.rst §4.38): 0 runnable, 1 uninitialized, 2 INIT received, 3 halted, 4 SIPI received.</summary>
    public uint MpState { get; init; }

    public required DebugRegisters DebugRegisters { get; init; }

    /// <summary>The guest TSC frequency in kHz (KVM_GET_TSC_KHZ); 0 when the host TSC is unstable and KVM would not say.</summary>
    public uint TscKhz { get; init; }

    /// <summary>
    /// KVM_GET_NESTED_STATE, whole struct kvm_nested_state (its size field is the length); null when the host has no
    /// KVM_CAP_NESTED_STATE or the guest's CPUID offers neither VMX nor SVM.
    /// </summary>
    public byte[]? NestedState { get; init; }

    /// <summary>
    /// Refuses, with an <see cref="InvalidDataException"/> naming the field, a state that the vCPU
    /// <paramref name="vcpuId"/> of a VM with these XSAVE and nested-state sizes (<c>KvmVm.XsaveSize</c>,
    /// <c>KvmVm.NestedStateMaxSize</c>) could not take.
    /// </summary>
    public void EnsureRestorable(uint vcpuId, int xsaveSize, int nestedStateMaxSize)
    {
        Check(Version == CurrentVersion, nameof(Version), $"is {Version}; this HyperNest reads version {CurrentVersion}");
        Check(VcpuId == vcpuId, nameof(VcpuId), $"is {VcpuId} but the state is being restored into vCPU {vcpuId}");
        Check(Cpuid is { Length: > 0 }, nameof(Cpuid), "is empty: a vCPU always has a CPUID table");
        Check(Registers is not null, nameof(Registers), "is missing");
        Check(SpecialRegisters is not null, nameof(SpecialRegisters), "is missing");
        Check(SpecialRegisters?.InterruptBitmap is { Length: SpecialRegisters.InterruptBitmapWords },
            $"{nameof(SpecialRegisters)}.{nameof(SpecialRegisters.InterruptBitmap)}", $"must hold {SpecialRegisters.InterruptBitmapWords} words");
        Check(DebugRegisters is not null, nameof(DebugRegisters), "is missing");
        Check(Xsave is not null && Xsave.Length >= LegacyXsaveSize && Xsave.Length <= xsaveSize, nameof(Xsave),
            $"is {Xsave?.Length ?? 0} bytes; this VM's KVM takes {LegacyXsaveSize} to {xsaveSize}");
        Check(Xcrs is not null && Xcrs.Length <= MaxXcrs, nameof(Xcrs), $"holds more than {MaxXcrs} registers");
        Check(Msrs is not null, nameof(Msrs), "is missing");
        Check(Lapic is { Length: LapicSize }, nameof(Lapic), $"is {Lapic?.Length ?? 0} bytes, not {LapicSize}");
        Check(VcpuEvents is { Length: VcpuEventsSize }, nameof(VcpuEvents), $"is {VcpuEvents?.Length ?? 0} bytes, not {VcpuEventsSize}");
        Check(MpState <= 4, nameof(MpState), $"is {MpState}, not an x86 KVM_MP_STATE (0-4)");
        if (NestedState is { } nested)
        {
            Check(nestedStateMaxSize > 0, nameof(NestedState), "is present but this host's KVM cannot restore nested state (KVM_CAP_NESTED_STATE is 0)");
            Check(nested.Length >= NestedStateHeaderSize && nested.Length <= nestedStateMaxSize, nameof(NestedState),
                $"is {nested.Length} bytes; this KVM takes {NestedStateHeaderSize} to {nestedStateMaxSize}");
            Check(BinaryPrimitives.ReadUInt32LittleEndian(nested.AsSpan(4)) == (uint)nested.Length, nameof(NestedState),
                "has a size field that is not its length");
        }
    }

    private static void Check(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"vCPU state: {field} {problem}");
        }
    }
}
