using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// The split virtqueue (virtio 1.2 §2.7) behind the MMIO transport, with a probe device that copies each chain's
/// readable bytes (up to 512) into its writable buffers: every chain popped without an error lies wholly in guest
/// RAM; a chain the driver's own walk (<see cref="VirtioGuest.TryReadChain"/>, §2.7.5) reads as well-formed was
/// popped without an error, as the same readable and writable buffers in the same order, and came back with used
/// length min(readable, writable, 512); the used ring names only offered chains (<see cref="VirtioGuest"/>).
/// </summary>
public sealed class VirtQueueTarget : IFuzzTarget
{
    public string Name => "virtqueue";

    public string Description => "a hostile driver's rings and descriptors; chains in guest RAM and as the spec walks them, used ⊆ offered";

    public void Run(ReadOnlySpan<byte> input)
    {
        var memory = VirtioGuest.FreshMemory();
        var device = new ProbeDevice(memory);
        var guest = new VirtioGuest(device, memory);
        var walked = new List<GuestBuffer>();
        guest.Used = (queue, head, usedLength) =>
        {
            if (!guest.IsChecked || !guest.TryReadChain(queue, head, walked, out int firstWritable))
            {
                return;
            }

            InvariantViolation.Check(device.Popped.TryGetValue((queue, head), out Popped? popped), $"queue {queue}: chain {head} came back but the device never popped it");
            InvariantViolation.Check(popped!.Error == ChainError.None, $"queue {queue}: the well-formed chain {head} was popped with error {popped.Error}");
            InvariantViolation.Check(Same(walked.Take(firstWritable), popped.Readable) && Same(walked.Skip(firstWritable), popped.Writable),
                $"queue {queue}: chain {head} was popped as other buffers than the spec's walk gives");
            long readable = VirtioGuest.LengthOf(walked, 0, firstWritable), writable = VirtioGuest.LengthOf(walked, firstWritable, walked.Count);
            long expected = Math.Min(Math.Min(readable, writable), ProbeDevice.CopyLimit);
            InvariantViolation.Check(usedLength == expected, $"queue {queue}: chain {head} came back with used length {usedLength}, not {expected}");
        };
        var reader = new FuzzInput(input);
        guest.Run(ref reader);
    }

    /// <summary>Whether two buffer lists are the same once empty buffers are left out.</summary>
    private static bool Same(IEnumerable<GuestBuffer> walked, GuestBuffer[] popped) =>
        walked.Where(b => b.Length != 0).SequenceEqual(popped.Where(b => b.Length != 0));

    /// <summary>A chain as the device popped it.</summary>
    private sealed record Popped(ChainError Error, GuestBuffer[] Readable, GuestBuffer[] Writable);

    /// <summary>Two queues; copies each chain's readable bytes into its writable buffers and returns it.</summary>
    private sealed class ProbeDevice(GuestMemory memory) : IVirtioDevice
    {
        public const int CopyLimit = 512;

        /// <summary>The last chain popped for each (queue, head) in this run.</summary>
        public Dictionary<(int Queue, ushort Head), Popped> Popped { get; } = [];

        public VirtioDeviceType DeviceType => VirtioDeviceType.Entropy;

        public ulong OfferedFeatures => 0;

        public int QueueCount => 2;

        public ushort MaxQueueSize => 256;

        public void ReadConfig(uint offset, Span<byte> data) => data.Clear();

        public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
        {
        }

        public void Activate(ulong negotiatedFeatures)
        {
        }

        public void Reset()
        {
        }

        public void ProcessQueue(int queueIndex, VirtQueue queue)
        {
            Span<byte> bytes = stackalloc byte[CopyLimit];
            while (queue.TryPop(out DescriptorChain chain))
            {
                Popped[(queueIndex, chain.HeadIndex)] = new Popped(chain.Error, chain.Readable.ToArray(), chain.Writable.ToArray());
                uint written = 0;
                if (chain.Error == ChainError.None)
                {
                    Check(chain.Readable, "readable");
                    Check(chain.Writable, "writable");
                    int read = chain.CopyFromReadable(0, bytes[..(int)Math.Min(bytes.Length, chain.ReadableLength)]);
                    written = (uint)chain.CopyToWritable(0, bytes[..read]);
                }

                queue.AddUsed(chain.HeadIndex, written);
            }
        }

        private void Check(ReadOnlySpan<GuestBuffer> buffers, string kind)
        {
            foreach (var buffer in buffers)
            {
                InvariantViolation.Check(memory.IsValid(buffer.Address, buffer.Length),
                    $"a {kind} buffer at 0x{buffer.Address:x} (+{buffer.Length}) of a chain without error is not guest RAM");
            }
        }
    }
}
