using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_cpuid_entry2 (api.rst §4.46): one CPUID leaf/subleaf.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmCpuidEntry2 : IEquatable<KvmCpuidEntry2>
{
    /// <summary>KVM_CPUID_FLAG_SIGNIFCANT_INDEX: the entry applies only to <see cref="Index"/>.</summary>
    public const uint FlagSignificantIndex = 1;

    public uint Function;
    public uint Index;
    public uint Flags;
    public uint Eax, Ebx, Ecx, Edx;
    private readonly uint _padding0, _padding1, _padding2;

    public KvmCpuidEntry2(uint function, uint index, uint flags, uint eax, uint ebx, uint ecx, uint edx)
    {
        Function = function;
        Index = index;
        Flags = flags;
        Eax = eax;
        Ebx = ebx;
        Ecx = ecx;
        Edx = edx;
        _padding0 = _padding1 = _padding2 = 0;
    }

    public readonly bool Equals(KvmCpuidEntry2 other) =>
        Function == other.Function && Index == other.Index && Flags == other.Flags &&
        Eax == other.Eax && Ebx == other.Ebx && Ecx == other.Ecx && Edx == other.Edx;

    public override readonly bool Equals(object? obj) => obj is KvmCpuidEntry2 other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Function, Index, Eax, Ebx, Ecx, Edx);

    public override readonly string ToString() =>
        $"0x{Function:x8}.{Index} flags={Flags} eax={Eax:x8} ebx={Ebx:x8} ecx={Ecx:x8} edx={Edx:x8}";

    public static bool operator ==(KvmCpuidEntry2 left, KvmCpuidEntry2 right) => left.Equals(right);

    public static bool operator !=(KvmCpuidEntry2 left, KvmCpuidEntry2 right) => !left.Equals(right);
}
