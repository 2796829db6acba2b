using HyperNest.Vmm.Network;
using HyperNest.Vmm.Tests.Devices.Virtio;

namespace HyperNest.Vmm.Tests;

public sealed class NetworkAdapterConfigTests
{
    private static readonly byte[] Mac = [0x00, 0x15, 0x5D, 0x0A, 0x0B, 0x0C];

    [Fact]
    public void Check_Needs_No_Backend()
    {
        VirtualMachine.Check(WithAdapters(new NetworkAdapterConfig("eth0", Mac)));
    }

    [Theory]
    [InlineData("00155D0A0B", "network adapter 'eth0': a MAC address is 6 bytes, not 5")]
    [InlineData("01005E000001", "network adapter 'eth0': MAC address 01005E000001 is a multicast address (its first byte is odd)")]
    public void Check_Refuses_A_Mac_That_Is_Not_6_Bytes_Of_Unicast(string mac, string message)
    {
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Check(WithAdapters(new NetworkAdapterConfig("eth0", Convert.FromHexString(mac)))));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Check_Refuses_Two_Adapters_With_One_Mac()
    {
        var error = Assert.Throws<VmBuildException>(() =>
            VirtualMachine.Check(WithAdapters(new NetworkAdapterConfig("eth0", Mac), new NetworkAdapterConfig("eth1", Mac))));

        Assert.Equal("network adapter 'eth1': MAC address 00155D0A0B0C is given to another adapter of this VM", error.Message);
    }

    [Fact]
    public void Check_Refuses_More_Devices_Than_Interrupt_Lines()
    {
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Check(WithAdapters(Adapters(9))));

        Assert.StartsWith("too many devices", error.Message);
    }

    [Theory]
    [InlineData(true, 7)]
    [InlineData(false, 8)]
    public void The_Entropy_Device_And_The_Balloon_Share_The_Nine_Interrupt_Lines(bool balloon, int fitting)
    {
        VmConfig With(int count) => WithAdapters(Adapters(count)) with { AttachBalloon = balloon };

        VirtualMachine.Check(With(fitting));
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Check(With(fitting + 1)));

        Assert.Equal("too many devices: disks, network adapters, the entropy device, the memory balloon and hot-pluggable memory together are at most 9", error.Message);
    }

    [Fact]
    public void Create_Refuses_An_Adapter_Without_A_Backend_Before_It_Opens_Kvm()
    {
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Create(WithAdapters(new NetworkAdapterConfig("eth0", Mac)), Stream.Null));

        Assert.Equal("network adapter 'eth0' has no backend to carry its frames", error.Message);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Vm_With_Network_Adapters_Runs_The_Built_In_Guest_And_Leaves_Its_Backends_Open()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        using var first = new FakeNetworkBackend(hasVnetHeader: true);
        using var second = new FakeNetworkBackend(hasVnetHeader: false);
        VmConfig config = WithAdapters(
            new NetworkAdapterConfig("eth0", Mac, first, new SwitchPort(Mac, macAddressSpoofing: false)),
            new NetworkAdapterConfig("eth1", (byte[])[0x02, 0, 0, 0, 0, 1], second));

        using (var console = new ConsoleCapture())
        using (VirtualMachine vm = VirtualMachine.Create(config, console))
        {
            Assert.Equal(VmStopReason.PowerOff, vm.Run());
        }

        // The VM used the backends; the caller owns them.
        first.Deliver([0]);
        Assert.Equal(1, first.Waiting);
    }

    private static NetworkAdapterConfig[] Adapters(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new NetworkAdapterConfig($"eth{i}", (byte[])[0x02, 0, 0, 0, 0, (byte)i]))];

    private static VmConfig WithAdapters(params NetworkAdapterConfig[] adapters) =>
        new() { MemoryBytes = 64UL << 20, NetworkAdapters = adapters };
}
