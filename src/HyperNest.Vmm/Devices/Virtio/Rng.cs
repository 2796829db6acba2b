using System.Security.Cryptography;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-rng, the entropy device (virtio 1.2 §5.4): one request queue whose device-writable buffers are filled
/// from the host's cryptographic RNG. No features, no configuration space.
/// </summary>
public sealed class Rng : IVirtioDevice
{
    public const ushort QueueSize = 256;

    /// <summary>§5.4.6.2 lets the device fill less than the whole buffer; this bounds the work one request costs.</summary>
    public const int MaxBytesPerRequest = 64 * 1024;

    public VirtioDeviceType DeviceType => VirtioDeviceType.Entropy;

    public ulong OfferedFeatures => 0;

    public int QueueCount => 1;

    public ushort MaxQueueSize => QueueSize;

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
        while (queue.TryPop(out DescriptorChain chain))
        {
            queue.AddUsed(chain.HeadIndex, Fill(chain));
        }
    }

    private static uint Fill(scoped in DescriptorChain chain)
    {
        if (chain.Error != ChainError.None)
        {
            return 0;
        }

        int length = (int)Math.Min(chain.WritableLength, MaxBytesPerRequest);
        foreach (Span<byte> piece in chain.WritableSpans(0, length))
        {
            RandomNumberGenerator.Fill(piece);
        }

        return (uint)length;
    }
}
