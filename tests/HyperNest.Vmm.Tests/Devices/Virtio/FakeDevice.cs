using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A device that records what the transport asks of it, completes every chain with its head's index as the length,
/// and notices if two calls into it ever overlap (the transport promises they never do).
/// </summary>
internal sealed class FakeDevice : IVirtioDevice
{
    private int _inside;

    public VirtioDeviceType DeviceType => VirtioDeviceType.Balloon;

    public ulong OfferedFeatures { get; init; } = 1UL << 3;

    public int QueueCount => 2;

    public ushort MaxQueueSize => 16;

    public byte[] Config { get; } = [0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17];

    public ulong? ActivatedWith { get; private set; }

    public int Resets { get; private set; }

    public int ProcessCalls { get; private set; }

    public bool SawOverlap { get; private set; }

    /// <summary>How long each call lingers inside the device, to widen any race.</summary>
    public int SpinIterations { get; set; }

    public void ReadConfig(uint offset, Span<byte> data)
    {
        Enter();
        data.Clear();
        for (int i = 0; i < data.Length && offset + i < Config.Length; i++)
        {
            data[i] = Config[offset + i];
        }

        Leave();
    }

    public void WriteConfig(uint offset, ReadOnlySpan<byte> data) => data.CopyTo(Config.AsSpan((int)offset));

    public void Activate(ulong negotiatedFeatures) => ActivatedWith = negotiatedFeatures;

    public void Reset()
    {
        Resets++;
        ActivatedWith = null;
    }

    public void ProcessQueue(int queueIndex, VirtQueue queue)
    {
        Enter();
        ProcessCalls++;
        Leave();
        while (queue.TryPop(out DescriptorChain chain))
        {
            queue.AddUsed(chain.HeadIndex, chain.HeadIndex);
        }
    }

    private void Enter()
    {
        if (Interlocked.Exchange(ref _inside, 1) != 0)
        {
            SawOverlap = true;
        }

        Thread.SpinWait(SpinIterations);
    }

    private void Leave() => Volatile.Write(ref _inside, 0);
}
