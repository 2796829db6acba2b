using System.Runtime.InteropServices;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>struct virtq_desc (virtio 1.2 §2.7.5): 16 bytes, little-endian like the x86 host.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly struct VirtqDescriptor
{
    public const int Size = 16;

    /// <summary>VIRTQ_DESC_F_NEXT: the chain continues at <see cref="Next"/>.</summary>
    public const ushort FlagNext = 1;

    /// <summary>VIRTQ_DESC_F_WRITE: the buffer is device-writable (otherwise device-readable).</summary>
    public const ushort FlagWrite = 2;

    /// <summary>VIRTQ_DESC_F_INDIRECT: the buffer is a table of descriptors.</summary>
    public const ushort FlagIndirect = 4;

    public readonly ulong Address;
    public readonly uint Length;
    public readonly ushort Flags;
    public readonly ushort Next;

    public bool Has(ushort flag) => (Flags & flag) != 0;
}
