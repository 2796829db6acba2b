namespace HyperNest.Vmm.Devices;

/// <summary>
/// An address space (port I/O or MMIO) of non-overlapping device ranges. Registration happens while the VM is
/// built; lookups happen on vCPU threads without locks, so the range list is immutable once the VM runs.
/// </summary>
public sealed class Bus
{
    private BusRange[] _ranges = [];

    public IReadOnlyList<BusRange> Ranges => _ranges;

    public void Register(ulong start, ulong length, IBusDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (length == 0 || start + length < start)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"invalid bus range 0x{start:x}+0x{length:x}");
        }

        foreach (BusRange existing in _ranges)
        {
            if (start < existing.Start + existing.Length && existing.Start < start + length)
            {
                throw new InvalidOperationException(
                    $"bus range 0x{start:x}+0x{length:x} overlaps 0x{existing.Start:x}+0x{existing.Length:x}");
            }
        }

        var ranges = new List<BusRange>(_ranges) { new(start, length, device) };
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        _ranges = [.. ranges];
    }

    /// <summary>Dispatches a read; false when no device claims the address (the caller fills all-ones).</summary>
    public bool Read(ulong address, Span<byte> data)
    {
        if (!TryFind(address, (ulong)data.Length, out BusRange range))
        {
            return false;
        }

        range.Device.Read(address - range.Start, data);
        return true;
    }

    /// <summary>Dispatches a write; false when no device claims the address (the write is dropped).</summary>
    public bool Write(ulong address, ReadOnlySpan<byte> data)
    {
        if (!TryFind(address, (ulong)data.Length, out BusRange range))
        {
            return false;
        }

        range.Device.Write(address - range.Start, data);
        return true;
    }

    private bool TryFind(ulong address, ulong length, out BusRange found)
    {
        BusRange[] ranges = _ranges;
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            BusRange range = ranges[mid];
            if (address < range.Start)
            {
                high = mid - 1;
            }
            else if (address - range.Start >= range.Length)
            {
                low = mid + 1;
            }
            else
            {
                // An access that straddles the end of a device's range is not that device's.
                found = range;
                return length <= range.Length - (address - range.Start);
            }
        }

        found = default;
        return false;
    }
}
