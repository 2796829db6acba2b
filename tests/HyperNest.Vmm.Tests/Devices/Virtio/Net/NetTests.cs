using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class NetTests
{
    // virtio 1.2 §5.1.3, written out independently of the implementation.
    private const ulong Csum = 1UL << 0, GuestCsum = 1UL << 1, Mac = 1UL << 5, GuestTso4 = 1UL << 7, GuestTso6 = 1UL << 8;
    private const ulong GuestEcn = 1UL << 9, GuestUfo = 1UL << 10, HostTso4 = 1UL << 11, HostTso6 = 1UL << 12;
    private const ulong HostEcn = 1UL << 13, HostUfo = 1UL << 14, MrgRxbuf = 1UL << 15, Status = 1UL << 16;

    [Fact]
    public void Is_A_Network_Device_With_A_Receive_And_A_Transmit_Queue_Of_256()
    {
        using var rig = new NetRig();

        Assert.Equal(1u, rig.Driver.Read(DeviceId));
        foreach (uint queue in new uint[] { 0, 1 })
        {
            rig.Driver.Write(QueueSel, queue);
            Assert.Equal(256u, rig.Driver.Read(QueueNumMax));
        }

        rig.Driver.Write(QueueSel, 2);
        Assert.Equal(0u, rig.Driver.Read(QueueNumMax));
    }

    [Fact]
    public void Config_Space_Is_The_Mac_Then_Status_Link_Up_Then_Zeros()
    {
        using var rig = new NetRig();

        // Linux reads the MAC a byte at a time, the status as a 16-bit value.
        byte[] config = new byte[12];
        for (int i = 0; i < config.Length; i++)
        {
            rig.Transport.Read(Config + (ulong)i, config.AsSpan(i, 1));
        }

        Assert.Equal([0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x01, 0x00, 0, 0, 0, 0], config);
        byte[] status = new byte[2];
        rig.Transport.Read(Config + 6, status);
        Assert.Equal([1, 0], status);
    }

    [Fact]
    public void An_Unplugged_Adapter_Starts_With_Its_Link_Down()
    {
        using var backend = new FakeNetworkBackend(true);
        var net = new Net(NetRig.Mac, backend, linkUp: false);
        byte[] status = new byte[2];

        net.ReadConfig(6, status);

        Assert.Equal([0, 0], status);
        Assert.False(net.LinkUp);
    }

    [Fact]
    public void Plugging_And_Pulling_The_Link_Changes_Status_And_Interrupts_A_Running_Driver_Once_Each()
    {
        using var rig = new NetRig().Start();
        uint generation = rig.Driver.Read(0x0fc);
        int interrupts = rig.Interrupt.Count;

        rig.Device.SetLinkUp(false);
        rig.Device.SetLinkUp(false);

        Assert.Equal(0u, rig.Driver.Read(Config + 4) >> 16);
        Assert.Equal(interrupts + 1, rig.Interrupt.Count);
        Assert.Equal(2u, rig.Driver.Read(0x060) & 2);
        Assert.NotEqual(generation, rig.Driver.Read(0x0fc));

        rig.Device.SetLinkUp(true);

        Assert.Equal(1u, rig.Driver.Read(Config + 4) >> 16);
        Assert.Equal(interrupts + 2, rig.Interrupt.Count);
    }

    [Fact]
    public void Config_Space_Ignores_Writes()
    {
        using var rig = new NetRig();

        rig.Transport.Write(Config, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });

        Assert.Equal(0x1200_5452u, rig.Driver.Read(Config));
    }

    [Fact]
    public void With_A_Vnet_Header_Offers_Checksum_Tso_Ecn_And_Ufo_Both_Ways()
    {
        using var backend = new FakeNetworkBackend(hasVnetHeader: true);

        Assert.Equal(
            Mac | Status | MrgRxbuf | Csum | HostTso4 | HostTso6 | HostEcn | HostUfo | GuestCsum | GuestTso4 | GuestTso6 | GuestEcn | GuestUfo,
            new Net(NetRig.Mac, backend).OfferedFeatures);
    }

    [Fact]
    public void Offers_Ufo_Only_Where_The_Backend_Takes_It()
    {
        using var backend = new FakeNetworkBackend(hasVnetHeader: true, FakeNetworkBackend.AllOffloads & ~NetworkOffloads.Ufo);

        ulong offered = new Net(NetRig.Mac, backend).OfferedFeatures;

        Assert.Equal(0UL, offered & (HostUfo | GuestUfo));
        Assert.Equal(GuestTso4 | HostTso4, offered & (GuestTso4 | HostTso4));
    }

    [Fact]
    public void Without_A_Vnet_Header_Offers_Only_Mac_Status_And_Mergeable_Buffers()
    {
        using var backend = new FakeNetworkBackend(hasVnetHeader: false);

        Assert.Equal(Mac | Status | MrgRxbuf, new Net(NetRig.Mac, backend).OfferedFeatures);
    }

    [Fact]
    public void Transport_Adds_Version_1_To_What_The_Device_Offers()
    {
        using var rig = new NetRig();

        Assert.Equal(Version1, rig.Driver.DeviceFeatures & Version1);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6 })] // multicast: bit 0 of the first byte
    public void Refuses_A_Mac_That_Is_Not_6_Bytes_Of_Unicast(byte[] mac)
    {
        using var backend = new FakeNetworkBackend(hasVnetHeader: true);

        Assert.Throws<ArgumentException>(() => new Net(mac, backend));
    }

    [Fact]
    public void Driver_Ok_Hands_The_Guests_Receive_Offloads_To_The_Backend()
    {
        using var rig = new NetRig();

        rig.Start(accept: Version1 | Mac | GuestCsum | GuestTso4 | GuestEcn | HostTso6);

        Assert.Equal(NetworkOffloads.Checksum | NetworkOffloads.Tso4 | NetworkOffloads.TsoEcn, rig.Backend.Offloads);
    }

    [Fact]
    public void Reset_Takes_The_Offloads_Back_And_Forgets_A_Frame_Waiting_For_Buffers()
    {
        using var rig = new NetRig().Start();
        rig.Backend.Deliver([.. Frames.Header(), .. Frames.Ethernet(100, NetRig.Mac, seed: 1)]);
        Assert.True(NetRig.WaitUntil(() => rig.Backend.Waiting == 0), "the device did not take the frame");

        rig.Driver.Write(MmioRegisters.Status, 0);

        Assert.Equal(NetworkOffloads.None, rig.Backend.Offloads);
        var receive = new SplitQueueDriver(rig.Memory, 16, 0x40000, 0x48000, 0x4a000);
        Assert.True(rig.Driver.Negotiate(rig.Driver.DeviceFeatures));
        rig.Driver.SetUpQueue(0, receive);
        rig.Driver.SetUpQueue(1, new SplitQueueDriver(rig.Memory, 16, 0x50000, 0x58000, 0x5a000));
        rig.Driver.DriverOk();
        receive.AddChain(Segment.Out(0x100000, 2048));
        rig.Driver.Notify(0);
        rig.Backend.Deliver([.. Frames.Header(), .. Frames.Ethernet(80, NetRig.Mac, seed: 2)]);

        Assert.True(NetRig.WaitUntil(() => receive.UsedIndex == 1));
        Assert.Equal((uint)(Frames.HeaderSize + 80), receive.Used(0).Length);
        Assert.Equal(Frames.Ethernet(80, NetRig.Mac, seed: 2), rig.Memory.GetSpan(0x100000 + Frames.HeaderSize, 80).ToArray());
    }

    [Fact]
    public void A_Driver_That_Has_Not_Set_Driver_Ok_Is_Not_Served()
    {
        using var rig = new NetRig();
        Assert.True(rig.Driver.Negotiate(rig.Driver.DeviceFeatures));
        rig.Driver.SetUpQueue(0, rig.Receive);
        rig.Receive.AddChain(Segment.Out(0x100000, 2048));

        rig.Backend.Deliver([.. Frames.Header(), .. Frames.Ethernet(60, NetRig.Mac)]);
        rig.Driver.Notify(0);
        Thread.Sleep(50);

        Assert.Equal(0, rig.Backend.Reads);
        Assert.Equal(0, rig.Receive.UsedIndex);
    }

    [Fact]
    public async Task Dispose_Stops_The_Devices_Thread_While_It_Waits()
    {
        var rig = new NetRig().Start();

        // Throws TimeoutException if the thread does not stop.
        await Task.Run(rig.Dispose).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
