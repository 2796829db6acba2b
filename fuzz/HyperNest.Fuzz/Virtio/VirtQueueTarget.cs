using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// The split virtqueue (virtio 1.2 §2.7) behind the MMIO transport, with a device that does nothing but walk what
/// it pops: every chain popped without an error lies wholly in guest RAM, readable buffers before writable ones;
/// a chain with an error is still returned; the used ring names only offered chains (<see cref="VirtioGuest"/>).
/// </summary>
public sealed class VirtQueueTarget : IFuzzTarget
{
    public string Name => "virtqueue";

    public string Description => "a hostile driver's rings and descriptors; chains in guest RAM, used ⊆ offered";

    public void Run(ReadOnlySpan<byte> input)
    {
        var memory = VirtioGuest.FreshMemory();
        var guest = new VirtioGuest(new ProbeDevice(memory), memory);
        var reader = new FuzzInput(input);
        guest.Run(ref reader);
    }

    /// <summary>Two queues; copies each chain's readable bytes into its writable buffers and returns it.</summary>
    private sealed class ProbeDevice(GuestMemory memory) : IVirtioDevice
    {
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
            Span<byte> bytes = stackalloc byte[512];
            while (queue.TryPop(out DescriptorChain chain))
            {
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
