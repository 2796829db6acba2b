namespace HyperNest.Vmm.Memory;

/// <summary>A guest-physical range that is not guest RAM (a guest bug or a hostile guest, never a VMM crash).</summary>
public sealed class GuestMemoryException(ulong address, ulong length)
    : Exception($"guest-physical range 0x{address:x}+0x{length:x} is not guest RAM")
{
    public ulong Address { get; } = address;

    public ulong Length { get; } = length;
}
