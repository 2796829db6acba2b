using HyperNest.Kvm;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// Contiguous balloon pages of an inflate request, ascending or descending, gathered so that one discard (one
/// madvise) gives them all back to the host. Each page added must already be checked as guest RAM.
/// </summary>
internal ref struct BalloonPageRun(GuestMemory memory)
{
    private static readonly ulong HostPageSize = (ulong)Environment.SystemPageSize;

    private ulong _start, _length;

    public void Add(ulong address)
    {
        const ulong page = Balloon.PageSize;
        if (_length != 0 && address == _start + _length && memory.IsValid(_start, _length + page))
        {
            _length += page;
        }
        else if (_length != 0 && address + page == _start && memory.IsValid(address, _length + page))
        {
            _start = address;
            _length += page;
        }
        else
        {
            Flush();
            (_start, _length) = (address, page);
        }
    }

    public void Flush()
    {
        if (_length != 0)
        {
            Discard(memory, _start, _length);
            _length = 0;
        }
    }

    /// <summary>
    /// Gives a range of guest RAM back to the host: the whole host pages inside it (all of it where host pages are
    /// 4 KiB, as on x86-64). A failure leaves the memory with the guest, where it does no harm.
    /// </summary>
    public static void Discard(GuestMemory memory, ulong address, ulong length)
    {
        ulong start = (address + HostPageSize - 1) / HostPageSize * HostPageSize;
        ulong end = (address + length) / HostPageSize * HostPageSize;
        if (end <= start)
        {
            return;
        }

        try
        {
            memory.Discard(start, end - start);
        }
        catch (KvmException)
        {
            // madvise refused: the pages stay resident, and the guest is none the worse.
        }
    }
}
