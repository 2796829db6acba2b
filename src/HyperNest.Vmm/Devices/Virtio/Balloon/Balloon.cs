using System.Buffers.Binary;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-balloon, the traditional memory balloon (virtio 1.2 §5.5). The host sets a target (<see cref="SetTarget"/>,
/// num_pages); the guest's driver inflates the balloon towards it, handing over page frame numbers whose memory goes
/// back to the host, deflates it when the target drops, and says how far it got (actual). With the offered features it
/// also reports memory statistics when asked (<see cref="RequestStatistics"/>) and hands over free ranges of its
/// memory on its own (free page reporting), which go back to the host too. Balloon pages are 4 KiB whatever the page
/// size of guest or host (§5.5.6). Every page number and range is checked against guest RAM first; the ones that are
/// not RAM are skipped and counted (<see cref="Counters"/>), never touched.
/// <para>
/// Threads: the transport serialises the driver's calls. The host-facing members may be called from any thread:
/// <see cref="SetTarget"/> changes one 32-bit field and tells the transport; <see cref="RequestStatistics"/> takes a
/// turn on the stats queue through the transport (<see cref="MmioTransport.NotifyQueue"/>), under its lock.
/// </para>
/// </summary>
public sealed partial class Balloon : IVirtioDevice
{
    /// <summary>§5.5.6: "divided by 4096", independent of the guest's page size.</summary>
    public const ulong PageSize = 4096;

    public const ushort QueueSize = 256;

    // Feature bits, §5.5.3. FREE_PAGE_HINT (3) serves live migration, which HyperNest does not do. PAGE_POISON (4)
    // is not offered: a discarded page reads as zero, not as the guest's poison value, and a Linux driver whose
    // guest poisons or zeroes freed pages turns free page reporting off itself when PAGE_POISON is missing.
    public const ulong FeatureStatsQueue = 1UL << 1;
    public const ulong FeatureDeflateOnOom = 1UL << 2;
    public const ulong FeatureFreePageHint = 1UL << 3;
    public const ulong FeaturePageReporting = 1UL << 5;

    /// <summary>The largest statistics report read (64 entries, room for every tag Linux knows); longer ones fail.</summary>
    public const int MaxStatisticsBytes = 64 * BalloonStatistics.EntrySize;

    /// <summary>Page numbers read per step of an inflate or deflate request.</summary>
    private const int PfnsPerStep = 256;

    // struct virtio_balloon_config (§5.5.4): le32 num_pages, le32 actual, le32 free_page_hint_cmd_id, le32
    // poison_val. The last two are valid only with features not offered, and read as zero.
    private const int ConfigNumPages = 0, ConfigActual = 4, ConfigSize = 16;

    private readonly GuestMemory _memory;

    private Action<int>? _notifyQueue;
    private Action? _configChanged;

    /// <summary>The role of each queue index, from the negotiated features (empty until DRIVER_OK).</summary>
    private BalloonQueue[] _queues = [];

    // num_pages (the host's) and actual (the driver's), in balloon pages.
    private uint _numPages, _actual;

    private volatile bool _driverReady;
    private volatile int _statisticsQueue = -1;
    private volatile BalloonStatistics? _statistics;

    /// <summary>The head of the stats buffer the device holds, or -1 (only under the transport's lock).</summary>
    private int _heldStatistics = -1;

    private int _statisticsRequested;
    private long _inflated, _deflated, _reported, _refusedPfns, _refusedRanges, _refusedRequests;

    /// <summary>
    /// A balloon over <paramref name="memory"/>, whose pages it gives back to the host. With
    /// <paramref name="deflateOnOom"/> (VIRTIO_BALLOON_F_DEFLATE_ON_OOM) the guest may take pages back when it runs out
    /// of memory, and Linux then keeps counting them in its MemTotal (the balloon is a loan: Dynamic Memory); without
    /// it the pages are gone until the host deflates, and MemTotal shrinks by them (a resize).
    /// </summary>
    public Balloon(GuestMemory memory, bool deflateOnOom = true)
    {
        ArgumentNullException.ThrowIfNull(memory);
        _memory = memory;
        OfferedFeatures = FeatureStatsQueue | FeaturePageReporting | (deflateOnOom ? FeatureDeflateOnOom : 0);
    }

    public VirtioDeviceType DeviceType => VirtioDeviceType.Balloon;

    public ulong OfferedFeatures { get; }

    /// <summary>inflateq, deflateq, statsq and reporting_vq: the most the offered features make (§5.5.2).</summary>
    public int QueueCount => 4;

    public ushort MaxQueueSize => QueueSize;

    /// <summary>The balloon size the host asks for (num_pages), in bytes: whole <see cref="PageSize"/> pages.</summary>
    public ulong TargetBytes => Volatile.Read(ref _numPages) * PageSize;

    /// <summary>The balloon size the driver last reported (actual), in bytes; 0 before the driver runs.</summary>
    public ulong ActualBytes => Volatile.Read(ref _actual) * PageSize;

    /// <summary>The driver set DRIVER_OK and has not reset the device since.</summary>
    public bool DriverReady => _driverReady;

    /// <summary>The driver's latest statistics report since it last started; null before the first.</summary>
    public BalloonStatistics? Statistics => _statistics;

    public BalloonCounters Counters => new(
        Interlocked.Read(ref _inflated),
        Interlocked.Read(ref _deflated),
        Interlocked.Read(ref _reported),
        Interlocked.Read(ref _refusedPfns),
        Interlocked.Read(ref _refusedRanges),
        Interlocked.Read(ref _refusedRequests));

    /// <summary>
    /// Connects the device to its transport: <paramref name="notifyQueue"/> takes a turn on a queue under the
    /// transport's lock (<see cref="MmioTransport.NotifyQueue"/>); <paramref name="configChanged"/> tells the driver
    /// the configuration changed (<see cref="MmioTransport.NotifyConfigChanged"/>).
    /// </summary>
    public void Attach(Action<int> notifyQueue, Action configChanged)
    {
        ArgumentNullException.ThrowIfNull(notifyQueue);
        ArgumentNullException.ThrowIfNull(configChanged);
        _notifyQueue = notifyQueue;
        _configChanged = configChanged;
    }

    /// <summary>
    /// Asks the guest to hold <paramref name="bytes"/> in the balloon (rounded down to whole 4 KiB pages). A running
    /// driver gets a configuration change interrupt when the page count changes; a driver that starts later reads it.
    /// Throws <see cref="ArgumentOutOfRangeException"/> for more than the guest's RAM.
    /// </summary>
    public void SetTarget(ulong bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Math.Min(_memory.Size, uint.MaxValue * PageSize));
        uint pages = (uint)(bytes / PageSize);
        if (Interlocked.Exchange(ref _numPages, pages) != pages)
        {
            _configChanged?.Invoke();
        }
    }

    /// <summary>
    /// Asks the driver for fresh statistics (§5.5.6.3): returns the stats buffer the device holds, with an
    /// interrupt; the driver answers with a new report, which becomes <see cref="Statistics"/>. Does nothing while
    /// the device holds no buffer (the driver has not answered the last request, or did not negotiate the stats
    /// queue, or is not running).
    /// </summary>
    public void RequestStatistics()
    {
        int queue = _statisticsQueue;
        if (queue >= 0 && _notifyQueue is { } notifyQueue)
        {
            Volatile.Write(ref _statisticsRequested, 1);
            notifyQueue(queue);
        }
    }

    public void ReadConfig(uint offset, Span<byte> data)
    {
        Span<byte> config = stackalloc byte[ConfigSize];
        config.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(config[ConfigNumPages..], Volatile.Read(ref _numPages));
        BinaryPrimitives.WriteUInt32LittleEndian(config[ConfigActual..], Volatile.Read(ref _actual));
        ConfigSpace.Read(config, offset, data);
    }

    /// <summary>Only actual is the driver's to write (poison_val would be, with PAGE_POISON), at any width.</summary>
    public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
    {
        Span<byte> actual = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(actual, _actual);
        for (int i = 0; i < data.Length; i++)
        {
            long at = (long)offset + i - ConfigActual;
            if (at is >= 0 and < sizeof(uint))
            {
                actual[(int)at] = data[i];
            }
        }

        Volatile.Write(ref _actual, BinaryPrimitives.ReadUInt32LittleEndian(actual));
    }

    public void Activate(ulong negotiatedFeatures)
    {
        _queues = QueuesFor(negotiatedFeatures);
        _heldStatistics = -1;
        Volatile.Write(ref _statisticsRequested, 0);
        _statisticsQueue = Array.IndexOf(_queues, BalloonQueue.Statistics);
        _driverReady = true;
    }

    /// <summary>Back to before negotiation: no stats buffer held, actual 0, no statistics; the target stays.</summary>
    public void Reset()
    {
        _driverReady = false;
        _statisticsQueue = -1;
        _queues = [];
        _heldStatistics = -1;
        Volatile.Write(ref _statisticsRequested, 0);
        Volatile.Write(ref _actual, 0);
        _statistics = null;
    }

    public void ProcessQueue(int queueIndex, VirtQueue queue)
    {
        switch ((uint)queueIndex < (uint)_queues.Length ? _queues[queueIndex] : BalloonQueue.None)
        {
            case BalloonQueue.Inflate:
                ServePageNumbers(queue, inflate: true);
                break;
            case BalloonQueue.Deflate:
                ServePageNumbers(queue, inflate: false);
                break;
            case BalloonQueue.Statistics:
                ServeStatistics(queue);
                break;
            case BalloonQueue.Reporting:
                ServeReports(queue);
                break;
            default:
                ReturnUnused(queue);
                break;
        }
    }

    /// <summary>
    /// The role of each queue index for <paramref name="negotiatedFeatures"/>. The spec numbers the queues 0 to 4
    /// (§5.5.2), but a queue whose feature is not negotiated does not exist, and Linux's virtio-mmio gives it no
    /// index: the existing queues are numbered 0, 1, 2, ... in the spec's order (reporting_vq is 3 with the stats
    /// queue, 2 without).
    /// </summary>
    public static BalloonQueue[] QueuesFor(ulong negotiatedFeatures)
    {
        var queues = new List<BalloonQueue> { BalloonQueue.Inflate, BalloonQueue.Deflate };
        (ulong Feature, BalloonQueue Queue)[] optional =
        [
            (FeatureStatsQueue, BalloonQueue.Statistics),
            (FeatureFreePageHint, BalloonQueue.FreePageHint),
            (FeaturePageReporting, BalloonQueue.Reporting),
        ];
        foreach ((ulong feature, BalloonQueue queue) in optional)
        {
            if ((negotiatedFeatures & feature) != 0)
            {
                queues.Add(queue);
            }
        }

        return [.. queues];
    }

    /// <summary>
    /// inflateq / deflateq (§5.5.6): the device-readable bytes are le32 page frame numbers. Inflated pages go back to
    /// the host, contiguous ones in one call; deflated pages need nothing (they fault back in as zero) but are
    /// counted. Used length 0: the device writes nothing.
    /// </summary>
    private void ServePageNumbers(VirtQueue queue, bool inflate)
    {
        Span<byte> step = stackalloc byte[PfnsPerStep * sizeof(uint)];
        while (queue.TryPop(out DescriptorChain chain))
        {
            if (chain.Error != ChainError.None)
            {
                Interlocked.Increment(ref _refusedRequests);
                queue.AddUsed(chain.HeadIndex, 0);
                continue;
            }

            var run = new BalloonPageRun(_memory);
            long valid = 0, refused = 0;
            for (long offset = 0; offset < chain.ReadableLength; offset += step.Length)
            {
                int read = chain.CopyFromReadable(offset, step);
                refused += read % sizeof(uint) != 0 ? 1 : 0;
                for (int at = 0; at + sizeof(uint) <= read; at += sizeof(uint))
                {
                    ulong address = BinaryPrimitives.ReadUInt32LittleEndian(step[at..]) * PageSize;
                    if (!_memory.IsValid(address, PageSize))
                    {
                        refused++;
                        continue;
                    }

                    valid++;
                    if (inflate)
                    {
                        run.Add(address);
                    }
                }
            }

            run.Flush();
            Interlocked.Add(ref inflate ? ref _inflated : ref _deflated, valid);
            Interlocked.Add(ref _refusedPfns, refused);
            queue.AddUsed(chain.HeadIndex, 0);
        }
    }

    /// <summary>
    /// statsq (§5.5.6.3): each buffer the driver makes available is a report, read and then held until the host asks
    /// for the next one. A second buffer while one is held returns the older. A report that cannot be read is
    /// counted and its buffer held all the same, so the next request still reaches the driver.
    /// </summary>
    private void ServeStatistics(VirtQueue queue)
    {
        Span<byte> report = stackalloc byte[MaxStatisticsBytes];
        while (queue.TryPop(out DescriptorChain chain))
        {
            if (_heldStatistics >= 0)
            {
                queue.AddUsed((ushort)_heldStatistics, 0);
            }

            _heldStatistics = chain.HeadIndex;
            bool readable = chain.Error == ChainError.None && chain.ReadableLength <= MaxStatisticsBytes;
            int length = readable ? chain.CopyFromReadable(0, report[..(int)chain.ReadableLength]) : 0;
            if (readable && BalloonStatistics.Parse(report[..length], Environment.TickCount64) is { } statistics)
            {
                _statistics = statistics;
            }
            else
            {
                Interlocked.Increment(ref _refusedRequests);
            }
        }

        if (Interlocked.Exchange(ref _statisticsRequested, 0) != 0 && _heldStatistics >= 0)
        {
            queue.AddUsed((ushort)_heldStatistics, 0);
            _heldStatistics = -1;
        }
    }

    /// <summary>
    /// reporting_vq (virtio 1.2 §5.5.6, "Free Page Reporting"): each descriptor is a free range (Linux makes them
    /// device-writable; either direction is taken). A range of whole 4 KiB pages of guest RAM goes back to the host;
    /// any other is skipped and counted. The chain returns with used length 0: nothing is written.
    /// </summary>
    private void ServeReports(VirtQueue queue)
    {
        while (queue.TryPop(out DescriptorChain chain))
        {
            // A buffer outside RAM leaves the chain's shape intact: the other ranges are still good.
            if (chain.Error is ChainError.None or ChainError.BufferOutsideGuestMemory)
            {
                Report(chain.Readable);
                Report(chain.Writable);
            }
            else
            {
                Interlocked.Increment(ref _refusedRequests);
            }

            queue.AddUsed(chain.HeadIndex, 0);
        }
    }

    private void Report(ReadOnlySpan<GuestBuffer> ranges)
    {
        foreach (GuestBuffer range in ranges)
        {
            bool wholePages = range.Length != 0 && range.Address % PageSize == 0 && range.Length % PageSize == 0;
            if (!wholePages || !_memory.IsValid(range.Address, range.Length))
            {
                Interlocked.Increment(ref _refusedRanges);
                continue;
            }

            BalloonPageRun.Discard(_memory, range.Address, range.Length);
            Interlocked.Add(ref _reported, range.Length / (long)PageSize);
        }
    }

    /// <summary>A queue beyond the negotiated ones carries nothing the device knows: its buffers return unused.</summary>
    private void ReturnUnused(VirtQueue queue)
    {
        while (queue.TryPop(out DescriptorChain chain))
        {
            Interlocked.Increment(ref _refusedRequests);
            queue.AddUsed(chain.HeadIndex, 0);
        }
    }
}
