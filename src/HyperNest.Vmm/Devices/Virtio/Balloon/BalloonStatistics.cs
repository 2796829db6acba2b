using System.Buffers.Binary;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// One memory statistics report of a virtio-balloon driver (virtio 1.2 §5.5.6.3, tags in §5.5.6.4). Every value is
/// optional: null when the driver did not report it. Memory amounts are in bytes, the others are counts since the
/// guest booted.
/// </summary>
/// <param name="ReceivedAt">When the report arrived: <see cref="Environment.TickCount64"/>, in milliseconds.</param>
/// <param name="SwapIn">VIRTIO_BALLOON_S_SWAP_IN (0): bytes swapped in.</param>
/// <param name="SwapOut">VIRTIO_BALLOON_S_SWAP_OUT (1): bytes swapped out.</param>
/// <param name="MajorFaults">VIRTIO_BALLOON_S_MAJFLT (2): major page faults.</param>
/// <param name="MinorFaults">VIRTIO_BALLOON_S_MINFLT (3): minor page faults.</param>
/// <param name="FreeMemory">VIRTIO_BALLOON_S_MEMFREE (4): bytes not used for anything.</param>
/// <param name="TotalMemory">VIRTIO_BALLOON_S_MEMTOT (5): bytes the guest has (less what is in the balloon).</param>
/// <param name="AvailableMemory">VIRTIO_BALLOON_S_AVAIL (6): bytes new applications can have without swapping.</param>
/// <param name="DiskCaches">VIRTIO_BALLOON_S_CACHES (7): bytes reclaimable without I/O (file caches).</param>
/// <param name="HugetlbAllocations">VIRTIO_BALLOON_S_HTLB_PGALLOC (8): successful hugetlb page allocations.</param>
/// <param name="HugetlbFailures">VIRTIO_BALLOON_S_HTLB_PGFAIL (9): failed hugetlb page allocations.</param>
public sealed record BalloonStatistics(
    long ReceivedAt,
    ulong? SwapIn,
    ulong? SwapOut,
    ulong? MajorFaults,
    ulong? MinorFaults,
    ulong? FreeMemory,
    ulong? TotalMemory,
    ulong? AvailableMemory,
    ulong? DiskCaches,
    ulong? HugetlbAllocations,
    ulong? HugetlbFailures)
{
    /// <summary>struct virtio_balloon_stat: le16 tag, le64 value, packed.</summary>
    public const int EntrySize = 10;

    /// <summary>The tags this record holds, 0 to 9; the spec has the device ignore the others.</summary>
    private const int KnownTags = 10;

    /// <summary>
    /// Reads a report: whole entries in any order, unknown tags ignored, a repeated tag's last value kept. Null for a
    /// report that is empty or not a whole number of entries.
    /// </summary>
    public static BalloonStatistics? Parse(ReadOnlySpan<byte> entries, long receivedAt)
    {
        if (entries.IsEmpty || entries.Length % EntrySize != 0)
        {
            return null;
        }

        // Reports come one at a time, when the host asks: an array costs nothing here.
        var values = new ulong?[KnownTags];
        for (int at = 0; at < entries.Length; at += EntrySize)
        {
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(entries[at..]);
            if (tag < KnownTags)
            {
                values[tag] = BinaryPrimitives.ReadUInt64LittleEndian(entries[(at + 2)..]);
            }
        }

        return new BalloonStatistics(
            receivedAt,
            values[0],
            values[1],
            values[2],
            values[3],
            values[4],
            values[5],
            values[6],
            values[7],
            values[8],
            values[9]);
    }
}
