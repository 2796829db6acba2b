using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-balloon (virtio 1.2 §5.5) in 1 MiB of guest RAM. The input's first byte picks DEFLATE_ON_OOM; the rest is a
/// <see cref="VirtioGuest"/> program whose operation 7 is the host setting a target or asking for statistics, or a
/// well-shaped request: an inflate or deflate array of page numbers (pages of the data region, pages past RAM, huge
/// numbers, a ragged tail), a free page report of ranges (whole pages or not, in RAM or not, readable or writable), a
/// statistics report. Checked for those requests, each served alone: exactly the named pages of RAM are given back
/// (they read zero, every other data page keeps its marker; a deflate or a refused range gives back nothing), and the
/// counters add up (inflated, deflated, reported pages; refused page numbers and ranges). Driver-made chains that name
/// the driver's own ring pages stop the ring checks (the guest may give its rings away), not the run.
/// </summary>
public sealed class BalloonTarget : IFuzzTarget
{
    private const ulong Page = Balloon.PageSize;
    private const ulong RequestPage = VirtioGuest.DataStart, FirstMarked = VirtioGuest.DataStart + Page;
    private const int MarkedPages = (int)((VirtioGuest.MemorySize - FirstMarked) / Page);
    private const byte Marker = 0xa5;

    public string Name => "virtio-balloon";

    public string Description => "inflate/deflate/report/stats requests and host targets; only named RAM pages discarded, counters add up";

    public void Run(ReadOnlySpan<byte> input)
    {
        GuestMemory memory = VirtioGuest.FreshMemory();
        var reader = new FuzzInput(input);
        var balloon = new Balloon(memory, deflateOnOom: reader.Bool());
        var guarded = new GuardedBalloon(balloon);
        var guest = new VirtioGuest(guarded, memory);
        guarded.Guest = guest;
        balloon.Attach(guest.Transport.NotifyQueue, guest.Transport.NotifyConfigChanged);
        var session = new Session(balloon, guest, memory);
        guest.Run(ref reader, session.Event);
    }

    private sealed class Session(Balloon balloon, VirtioGuest guest, GuestMemory memory)
    {
        private readonly bool[] _named = new bool[MarkedPages];

        public void Event(ref FuzzInput reader)
        {
            byte how = reader.Byte();
            switch (how % 5)
            {
                case 0:
                    balloon.SetTarget(reader.UInt32() % (VirtioGuest.MemorySize + 1));
                    return;
                case 1:
                    balloon.RequestStatistics();
                    return;
                case 2:
                    PageNumbers(ref reader, inflate: (how & 8) == 0);
                    return;
                case 3:
                    Report(ref reader, writable: (how & 8) != 0);
                    return;
                default:
                    Statistics(ref reader);
                    return;
            }
        }

        private void PageNumbers(ref FuzzInput reader, bool inflate)
        {
            int count = reader.Byte() % 24, ragged = reader.Byte() % 4;
            Array.Clear(_named);
            long valid = 0, refused = ragged != 0 ? 1 : 0;
            for (int i = 0; i < count; i++)
            {
                byte kind = reader.Byte();
                uint pfn = (kind & 3) switch
                {
                    0 or 1 => (uint)(FirstMarked / Page) + (uint)(kind >> 2) % MarkedPages,
                    2 => (uint)(VirtioGuest.MemorySize / Page) + reader.Byte(),
                    _ => reader.UInt32() | (uint)(VirtioGuest.MemorySize / Page),
                };
                memory.Write(RequestPage + 4 * (ulong)i, pfn);
                if (pfn * Page >= FirstMarked && pfn * Page < VirtioGuest.MemorySize)
                {
                    valid++;
                    _named[pfn - FirstMarked / Page] = inflate;
                }
                else
                {
                    refused++;
                }
            }

            Counters before = Counters.Of(balloon);
            if (Serve(inflate ? BalloonQueue.Inflate : BalloonQueue.Deflate, [new GuestBuffer(RequestPage, (uint)(4 * count + ragged))], writable: false))
            {
                Counters after = Counters.Of(balloon);
                InvariantViolation.Check((inflate ? after.Inflated - before.Inflated : after.Deflated - before.Deflated) == valid,
                    $"{valid} page numbers of RAM were {(inflate ? "inflated" : "deflated")}, the counter moved by another amount");
                InvariantViolation.Check(after.RefusedPfns - before.RefusedPfns == refused, $"{refused} page numbers should have been refused");
            }
        }

        private void Report(ref FuzzInput reader, bool writable)
        {
            int count = 1 + reader.Byte() % 4;
            Array.Clear(_named);
            Span<GuestBuffer> ranges = stackalloc GuestBuffer[count];
            long pages = 0, refused = 0;
            for (int i = 0; i < count; i++)
            {
                byte kind = reader.Byte();
                ulong address = FirstMarked + (ulong)(reader.Byte() % MarkedPages) * Page + ((kind & 1) != 0 ? reader.UInt16() % Page : 0);
                ulong length = (1 + (ulong)(kind >> 4)) * Page - ((kind & 2) != 0 ? 1u + reader.Byte() : 0u);
                length = Math.Min(length, VirtioGuest.MemorySize - address);
                ranges[i] = new GuestBuffer(address, (uint)length);
                bool whole = length != 0 && address % Page == 0 && length % Page == 0;
                if (!whole)
                {
                    refused++;
                    continue;
                }

                pages += (long)(length / Page);
                for (ulong p = address; p < address + length; p += Page)
                {
                    _named[(p - FirstMarked) / Page] = true;
                }
            }

            Counters before = Counters.Of(balloon);
            if (Serve(BalloonQueue.Reporting, ranges, writable))
            {
                Counters after = Counters.Of(balloon);
                InvariantViolation.Check(after.Reported - before.Reported == pages, $"{pages} whole pages were reported, the counter moved by {after.Reported - before.Reported}");
                InvariantViolation.Check(after.RefusedRanges - before.RefusedRanges == refused, $"{refused} ranges should have been refused");
            }
        }

        private void Statistics(ref FuzzInput reader)
        {
            var entries = reader.Bytes(reader.Byte() % 0x300);
            memory.Write(RequestPage, entries);
            Serve(BalloonQueue.Statistics, [new GuestBuffer(RequestPage, (uint)entries.Length)], writable: false);
        }

        /// <summary>
        /// Marks every data page, offers one chain of <paramref name="buffers"/> on the queue that carries
        /// <paramref name="role"/> and notifies it; when the device used that chain alone, checks that exactly the
        /// pages in <see cref="_named"/> were given back. False when the chain was not served so (nothing checked).
        /// </summary>
        private bool Serve(BalloonQueue role, ReadOnlySpan<GuestBuffer> buffers, bool writable)
        {
            int queue = Array.IndexOf(Balloon.QueuesFor(guest.AcceptedFeatures), role);
            ushort size = queue < 0 ? (ushort)0 : guest.QueueSize(queue);
            if (size < buffers.Length || guest.Outstanding(queue).Count != 0 || !guest.IsChecked)
            {
                return false;
            }

            for (int p = 0; p < MarkedPages; p++)
            {
                // A page's first and last byte: a page given back reads zero whole, one kept keeps both.
                memory.Write(FirstMarked + (ulong)p * Page, Marker);
                memory.Write(FirstMarked + (ulong)(p + 1) * Page - 1, Marker);
            }

            for (int i = 0; i < buffers.Length; i++)
            {
                ushort flags = (ushort)((i + 1 < buffers.Length ? VirtqDescriptor.FlagNext : 0) | (writable ? VirtqDescriptor.FlagWrite : 0));
                guest.WriteDescriptor(queue, i, buffers[i].Address, buffers[i].Length, flags, (ushort)(i + 1));
            }

            ushort used = memory.Read<ushort>(VirtioGuest.UsedRing(queue) + 2);
            guest.OfferAndNotify(queue, 0);
            bool servedAlone = memory.Read<ushort>(VirtioGuest.UsedRing(queue) + 2) == (ushort)(used + 1);
            if (!servedAlone || !guest.IsChecked || role == BalloonQueue.Statistics)
            {
                return false;
            }

            for (int p = 0; p < MarkedPages; p++)
            {
                byte first = memory.Read<byte>(FirstMarked + (ulong)p * Page), last = memory.Read<byte>(FirstMarked + (ulong)(p + 1) * Page - 1);
                InvariantViolation.Check(first == (_named[p] ? 0 : Marker) && last == first,
                    $"data page 0x{FirstMarked + (ulong)p * Page:x} {(_named[p] ? "was named but not given back" : "was given back though the request did not name it")}");
            }

            return true;
        }
    }

    private readonly record struct Counters(long Inflated, long Deflated, long Reported, long RefusedPfns, long RefusedRanges)
    {
        public static Counters Of(Balloon balloon)
        {
            var c = balloon.Counters;
            return new(c.InflatedPages, c.DeflatedPages, c.ReportedPages, c.RefusedPfns, c.RefusedRanges);
        }
    }

    /// <summary>
    /// The balloon, with a look at each inflate request before it is served: one that names a page below the data
    /// region (the driver's rings and tables) stops the ring checks, as the guest may give those pages away.
    /// </summary>
    private sealed class GuardedBalloon(Balloon balloon) : IVirtioDevice
    {
        private readonly List<GuestBuffer> _buffers = [];
        private BalloonQueue[] _roles = [];

        public VirtioGuest? Guest { get; set; }

        public VirtioDeviceType DeviceType => balloon.DeviceType;

        public ulong OfferedFeatures => balloon.OfferedFeatures;

        public int QueueCount => balloon.QueueCount;

        public ushort MaxQueueSize => balloon.MaxQueueSize;

        public void ReadConfig(uint offset, Span<byte> data) => balloon.ReadConfig(offset, data);

        public void WriteConfig(uint offset, ReadOnlySpan<byte> data) => balloon.WriteConfig(offset, data);

        public void Activate(ulong negotiatedFeatures)
        {
            _roles = Balloon.QueuesFor(negotiatedFeatures);
            balloon.Activate(negotiatedFeatures);
        }

        public void Reset()
        {
            _roles = [];
            balloon.Reset();
        }

        public void ProcessQueue(int queueIndex, VirtQueue queue)
        {
            if (Guest is { IsChecked: true } guest && queueIndex < _roles.Length && _roles[queueIndex] == BalloonQueue.Inflate && !NamesOnlyData(guest, queueIndex))
            {
                guest.StopChecking();
            }

            balloon.ProcessQueue(queueIndex, queue);
        }

        private bool NamesOnlyData(VirtioGuest guest, int queue)
        {
            Span<byte> pfns = stackalloc byte[1024];
            foreach (ushort head in guest.Outstanding(queue))
            {
                if (!guest.TryReadChain(queue, head, _buffers, out int firstWritable))
                {
                    return false;
                }

                long length = VirtioGuest.LengthOf(_buffers, 0, firstWritable);

                for (long at = 0; at < length; at += pfns.Length)
                {
                    int read = guest.Gather(_buffers, 0, firstWritable, at, pfns);
                    for (int i = 0; i + 4 <= read; i += 4)
                    {
                        if (BinaryPrimitives.ReadUInt32LittleEndian(pfns[i..]) < VirtioGuest.DataStart / Page)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }
    }
}
