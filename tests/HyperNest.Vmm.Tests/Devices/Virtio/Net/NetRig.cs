using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A virtio-net device on a fake backend behind a transport in 16 MiB of guest memory, its receive queue (0) and
/// transmit queue (1) set up by a Linux-like driver, its own thread running.
/// </summary>
internal sealed class NetRig : IDisposable
{
    public static readonly byte[] Mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly INetworkBackend _backend;

    /// <summary>On a <see cref="FakeNetworkBackend"/>, or on <paramref name="backend"/> (which the caller disposes).</summary>
    public NetRig(bool hasVnetHeader = true, SwitchPort? port = null, ushort queueSize = 16, INetworkBackend? backend = null)
    {
        Memory = new GuestMemory(16 * MemoryLayout.MiB);
        _backend = backend ?? new FakeNetworkBackend(hasVnetHeader);
        Device = new Net(Mac, _backend, port);
        Interrupt = new RecordingInterruptLine();
        Transport = new MmioTransport(Device, Memory, Interrupt);
        Driver = new MmioDriver(Transport);
        Receive = new SplitQueueDriver(Memory, queueSize);
        Transmit = new SplitQueueDriver(Memory, queueSize, 0x20000, 0x28000, 0x2a000);
        Device.Start(Transport.NotifyQueue, configChanged: Transport.NotifyConfigChanged);
    }

    public GuestMemory Memory { get; }

    public FakeNetworkBackend Backend => _backend as FakeNetworkBackend ?? throw new InvalidOperationException("not on the fake backend");

    public Net Device { get; }

    public RecordingInterruptLine Interrupt { get; }

    public MmioTransport Transport { get; }

    public MmioDriver Driver { get; }

    public SplitQueueDriver Receive { get; }

    public SplitQueueDriver Transmit { get; }

    /// <summary>§3.1.1 for both queues, accepting <paramref name="accept"/> of what the device offers.</summary>
    public NetRig Start(ulong accept = DeviceRig.AllFeatures)
    {
        Assert.True(Driver.Negotiate(Driver.DeviceFeatures & accept));
        Driver.SetUpQueue(0, Receive);
        Driver.SetUpQueue(1, Transmit);
        Driver.DriverOk();
        return this;
    }

    /// <summary>Makes a chain available on the transmit queue, notifies, and returns the used length.</summary>
    public uint Send(params Segment[] segments)
    {
        ushort before = Transmit.UsedIndex;
        ushort head = Transmit.AddChain(segments);
        Driver.Notify(1);
        Assert.Equal((ushort)(before + 1), Transmit.UsedIndex);
        (uint id, uint length) = Transmit.Used(before);
        Assert.Equal(head, id);
        return length;
    }

    /// <summary>Makes receive buffers available (one chain each) and notifies, as Linux's refill does.</summary>
    public ushort[] PostReceiveBuffers(params Segment[][] chains)
    {
        ushort[] heads = [.. chains.Select(chain => Receive.AddChain(chain))];
        Driver.Notify(0);
        return heads;
    }

    /// <summary>Waits for the device's thread to bring the receive queue's used index to <paramref name="index"/>.</summary>
    public void WaitForReceiveUsed(ushort index) =>
        Assert.True(WaitUntil(() => Receive.UsedIndex == index), $"receive used index {Receive.UsedIndex}, expected {index}");

    public static bool WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public void Dispose()
    {
        Device.Dispose();
        (_backend as FakeNetworkBackend)?.Dispose();
        Memory.Dispose();
    }
}
