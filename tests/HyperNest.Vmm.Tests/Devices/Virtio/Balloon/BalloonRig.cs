using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A virtio-balloon behind a transport in 16 MiB of guest memory (4096 balloon pages), driven the way Linux's
/// virtio_balloon and virtio_mmio do it: the queues of the negotiated features get consecutive indices
/// (inflate 0, deflate 1, then stats and reporting when negotiated), and the stats buffer is primed and notified
/// before DRIVER_OK.
/// </summary>
internal sealed class BalloonRig : IDisposable
{
    // virtio 1.2 §5.5.3, written out independently of the implementation.
    public const ulong StatsVq = 1UL << 1, DeflateOnOom = 1UL << 2, FreePageHint = 1UL << 3, PagePoison = 1UL << 4;
    public const ulong PageReporting = 1UL << 5;

    public const ulong BalloonPage = 4096;

    /// <summary>Guest RAM ends here: PFN 4096 and above are not RAM.</summary>
    public const ulong RamEnd = 16 * MemoryLayout.MiB;

    /// <summary>Where the driver keeps the stats buffer and the PFN arrays (below the pages it hands over).</summary>
    public const ulong StatsBuffer = 0x80000, PfnArray = 0x90000;

    public BalloonRig()
    {
        Memory = new GuestMemory(RamEnd);
        Device = new Balloon(Memory);
        Interrupt = new RecordingInterruptLine();
        Transport = new MmioTransport(Device, Memory, Interrupt);
        Device.Attach(Transport.NotifyQueue, Transport.NotifyConfigChanged);
        Driver = new MmioDriver(Transport);
    }

    public GuestMemory Memory { get; }

    public Balloon Device { get; }

    public RecordingInterruptLine Interrupt { get; }

    public MmioTransport Transport { get; }

    public MmioDriver Driver { get; }

    public SplitQueueDriver Inflate { get; private set; } = null!;

    public SplitQueueDriver Deflate { get; private set; } = null!;

    public SplitQueueDriver? Stats { get; private set; }

    public SplitQueueDriver? Reporting { get; private set; }

    /// <summary>The queue index Linux gives each queue (consecutive over the negotiated ones).</summary>
    public Dictionary<SplitQueueDriver, uint> Index { get; } = [];

    /// <summary>
    /// §3.1.1 and Linux's init_vqs: negotiate <paramref name="accept"/> of what the device offers, set up the
    /// queues, prime the stats queue with <paramref name="firstStats"/> (by default the total memory) and notify it,
    /// then DRIVER_OK.
    /// </summary>
    public BalloonRig Start(ulong accept = DeviceRig.AllFeatures, params (ushort Tag, ulong Value)[] firstStats)
    {
        ulong features = Driver.DeviceFeatures & accept;
        Assert.True(Driver.Negotiate(features));
        uint next = 0;
        SplitQueueDriver NewQueue()
        {
            ulong area = 0x10000 * (next + 1);
            Memory.GetSpan(area, 0x10000).Clear();
            var queue = new SplitQueueDriver(Memory, 16, area, area + 0x8000, area + 0xa000);
            Index[queue] = next;
            Driver.SetUpQueue(next++, queue);
            return queue;
        }

        Inflate = NewQueue();
        Deflate = NewQueue();
        if ((features & StatsVq) != 0)
        {
            Stats = NewQueue();
            firstStats = firstStats.Length != 0 ? firstStats : [(5, RamEnd)];
            WriteStats(firstStats);
            Stats.AddChain(Segment.In(StatsBuffer, (uint)(10 * firstStats.Length)));
            Driver.Notify(Index[Stats]);
        }

        if ((features & PageReporting) != 0)
        {
            Reporting = NewQueue();
        }

        Driver.DriverOk();
        return this;
    }

    /// <summary>Writes packed virtio_balloon_stat entries (le16 tag, le64 value) at <see cref="StatsBuffer"/>.</summary>
    public void WriteStats(params (ushort Tag, ulong Value)[] stats)
    {
        Span<byte> buffer = Memory.GetSpan(StatsBuffer, 10 * stats.Length);
        for (int i = 0; i < stats.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer[(10 * i)..], stats[i].Tag);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[((10 * i) + 2)..], stats[i].Value);
        }
    }

    /// <summary>Sends <paramref name="pfns"/> as one le32 array on <paramref name="queue"/>; returns the used length.</summary>
    public uint SendPfns(SplitQueueDriver queue, params uint[] pfns)
    {
        for (int i = 0; i < pfns.Length; i++)
        {
            Memory.Write(PfnArray + (4UL * (ulong)i), pfns[i]);
        }

        return Complete(queue, Segment.In(PfnArray, (uint)(4 * pfns.Length)));
    }

    /// <summary>Makes one chain available on <paramref name="queue"/>, notifies, and returns its used length.</summary>
    public uint Complete(SplitQueueDriver queue, params Segment[] segments)
    {
        ushort before = queue.UsedIndex;
        queue.UsedEvent = before;
        ushort head = queue.AddChain(segments);
        Driver.Notify(Index[queue]);
        Assert.Equal((ushort)(before + 1), queue.UsedIndex);
        (uint id, uint length) = queue.Used(before);
        Assert.Equal(head, id);
        return length;
    }

    /// <summary>Fills a balloon page with a recognisable byte.</summary>
    public void Scribble(uint pfn, byte value = 0xA5) => Memory.GetSpan(pfn * BalloonPage, (int)BalloonPage).Fill(value);

    public bool IsZero(uint pfn) => Memory.GetSpan(pfn * BalloonPage, (int)BalloonPage).IndexOfAnyExcept((byte)0) < 0;

    public bool Holds(uint pfn, byte value = 0xA5) => Memory.GetSpan(pfn * BalloonPage, (int)BalloonPage).IndexOfAnyExcept(value) < 0;

    public uint ReadConfig(uint offset) => Driver.Read(MmioRegisters.Config + offset);

    public void WriteActual(uint pages) => Driver.Write(MmioRegisters.Config + 4, pages);

    public void Dispose() => Memory.Dispose();
}
