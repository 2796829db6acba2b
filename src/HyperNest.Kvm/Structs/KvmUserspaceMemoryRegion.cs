using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_userspace_memory_region (api.rst §4.35).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmUserspaceMemoryRegion
{
    public const uint FlagLogDirtyPages = 1;
    public const uint FlagReadOnly = 2;

    public uint Slot;
    public uint Flags;
    public ulong GuestPhysicalAddress;
    public ulong MemorySize;
    public ulong UserspaceAddress;
}
