namespace HyperNest.Vmm.Memory;

/// <summary>One contiguous piece of guest RAM: where the guest sees it and where it lives in the host mapping.</summary>
public readonly record struct GuestMemoryRegion(ulong GuestPhysicalAddress, ulong Size, ulong HostOffset)
{
    public ulong End => GuestPhysicalAddress + Size;

    public bool Contains(ulong address, ulong length) =>
        address >= GuestPhysicalAddress && length <= Size && address - GuestPhysicalAddress <= Size - length;
}
