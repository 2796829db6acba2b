using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Memory;

/// <summary>
/// Guest RAM: one lazily-backed host mapping split into the regions of <see cref="MemoryLayout"/>. Every access
/// is range-checked against those regions; a range that is not wholly inside one region throws
/// <see cref="GuestMemoryException"/>, so a guest-supplied address can never reach host memory outside its RAM.
/// With a <see cref="Hotplug"/> region, its plugged blocks are RAM too; its unplugged blocks are not.
/// </summary>
public sealed unsafe class GuestMemory : IDisposable
{
    private readonly AnonymousMemory _backing;
    private readonly GuestMemoryRegion[] _regions;

    /// <summary>
    /// <paramref name="size"/> bytes of boot RAM and, unless <paramref name="hotplugSize"/> is 0, a hot-pluggable
    /// region of that many bytes (whole 2 MiB blocks, all unplugged) where <see cref="MemoryLayout"/> puts it.
    /// </summary>
    public GuestMemory(ulong size, ulong hotplugSize = 0)
        : this(size, hotplugSize, static length => new AnonymousMemory(length), static length => new AnonymousMemory(length))
    {
    }

    /// <summary>
    /// Guest RAM whose boot RAM and hot-pluggable region are the mappings <paramref name="mapBoot"/> and
    /// <paramref name="mapHotplug"/> make for a given length: a restore maps them from its memory file.
    /// </summary>
    internal GuestMemory(ulong size, ulong hotplugSize, Func<ulong, AnonymousMemory> mapBoot, Func<ulong, AnonymousMemory> mapHotplug)
    {
        ulong page = (ulong)Environment.SystemPageSize;
        if (size == 0 || size % page != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "guest memory must be a non-zero multiple of the page size");
        }

        _regions = [.. MemoryLayout.RegionsFor(size)];
        Hotplug = hotplugSize == 0 ? null : new HotplugRegion(MemoryLayout.HotplugRegionAddress(size), mapHotplug(hotplugSize));
        try
        {
            _backing = mapBoot(size);
        }
        catch
        {
            Hotplug?.Dispose();
            throw;
        }

        Size = size;
    }

    /// <summary>Total boot RAM in bytes (the e820 map's RAM; the hot-pluggable region is not part of it).</summary>
    public ulong Size { get; }

    /// <summary>The virtio-mem device's region, or null without one.</summary>
    public HotplugRegion? Hotplug { get; }

    public IReadOnlyList<GuestMemoryRegion> Regions => _regions;

    /// <summary>The host virtual address of a region's first byte, for KVM_SET_USER_MEMORY_REGION.</summary>
    public ulong HostAddressOf(GuestMemoryRegion region) => _backing.Address + region.HostOffset;

    /// <summary>
    /// Boot RAM as the host holds it, by offset from its first byte (regions follow each other there without the
    /// guest-physical holes): what a memory file stores. Throws <see cref="ArgumentOutOfRangeException"/> outside it.
    /// </summary>
    internal ReadOnlySpan<byte> HostView(ulong offset, int length)
    {
        if (length < 0 || offset > Size || (ulong)length > Size - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"0x{offset:x}+0x{length:x} is not within boot RAM");
        }

        return new ReadOnlySpan<byte>(_backing.Pointer + offset, length);
    }

    public bool IsValid(ulong address, ulong length) => FindRegion(address, length) >= 0 || (Hotplug?.IsPlugged(address, length) ?? false);

    /// <summary>A view of guest RAM; throws <see cref="GuestMemoryException"/> unless the range is RAM.</summary>
    public Span<byte> GetSpan(ulong address, int length)
    {
        if (!TryGetSpan(address, length, out Span<byte> span))
        {
            ThrowOutOfRange(address, (ulong)Math.Max(length, 0));
        }

        return span;
    }

    public bool TryGetSpan(ulong address, int length, out Span<byte> span)
    {
        int index = length < 0 ? -1 : FindRegion(address, (ulong)length);
        if (index < 0)
        {
            // Not boot RAM: plugged hot-pluggable memory, or nothing.
            span = default;
            return Hotplug is not null && Hotplug.TryGetSpan(address, length, out span);
        }

        GuestMemoryRegion region = _regions[index];
        span = new Span<byte>(_backing.Pointer + region.HostOffset + (address - region.GuestPhysicalAddress), length);
        return true;
    }

    public T Read<T>(ulong address)
        where T : unmanaged => MemoryMarshal.Read<T>(GetSpan(address, Unsafe.SizeOf<T>()));

    public void Write<T>(ulong address, T value)
        where T : unmanaged => MemoryMarshal.Write(GetSpan(address, Unsafe.SizeOf<T>()), value);

    public void Read(ulong address, Span<byte> destination) => GetSpan(address, destination.Length).CopyTo(destination);

    public void Write(ulong address, ReadOnlySpan<byte> source) => source.CopyTo(GetSpan(address, source.Length));

    /// <summary>
    /// Gives whole host pages of guest RAM back to the host (a balloon's inflated or reported free pages): the host
    /// frees their memory and the guest reads them as zero the next time it touches them. Throws
    /// <see cref="GuestMemoryException"/> unless the range is wholly RAM (nothing is discarded then), and
    /// <see cref="ArgumentException"/> unless it is whole, non-empty host pages.
    /// </summary>
    public void Discard(ulong guestPhysicalAddress, ulong length)
    {
        ulong page = (ulong)Environment.SystemPageSize;
        if (length == 0 || guestPhysicalAddress % page != 0 || length % page != 0)
        {
            throw new ArgumentException($"0x{guestPhysicalAddress:x}+0x{length:x} is not whole host pages of {page} bytes");
        }

        int index = FindRegion(guestPhysicalAddress, length);
        if (index < 0)
        {
            // Plugged hot-pluggable memory is RAM too; anything else is refused whole.
            if (Hotplug is not { } hotplug || !hotplug.IsPlugged(guestPhysicalAddress, length))
            {
                ThrowOutOfRange(guestPhysicalAddress, length);
                return;
            }

            hotplug.Discard(guestPhysicalAddress, length);
            return;
        }

        GuestMemoryRegion region = _regions[index];
        _backing.Discard(region.HostOffset + (guestPhysicalAddress - region.GuestPhysicalAddress), length);
    }

    public void Dispose()
    {
        _backing.Dispose();
        Hotplug?.Dispose();
    }

    private int FindRegion(ulong address, ulong length)
    {
        for (int i = 0; i < _regions.Length; i++)
        {
            if (_regions[i].Contains(address, length))
            {
                return i;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange(ulong address, ulong length) => throw new GuestMemoryException(address, length);
}
