using System.Runtime.InteropServices;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>struct virtq_used_elem (virtio 1.2 §2.7.8): the head of a completed chain and the bytes written.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly struct VirtqUsedElement(uint id, uint length)
{
    public const int Size = 8;

    public readonly uint Id = id;
    public readonly uint Length = length;
}
