using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HyperNest.Kvm;
using HyperNest.Vmm.Network;
using HyperNest.Vmm.Tests.Devices.Virtio;
using Xunit.Abstractions;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>virtio-net on a real TAP interface: frames between guest RAM and the host's stack, both ways.</summary>
[Trait("Requires", "root")]
public sealed class TapBackendTests(ITestOutputHelper output)
{
    private const ulong Header = 0x100000, Buffers = 0x200000;
    private const string HostAddress = "10.213.78.1", GuestAddress = "10.213.78.2";

    [SkippableFact]
    public void Guest_Frames_Reach_The_Host_Interface_And_Host_Datagrams_Reach_Guest_Buffers()
    {
        Skip.IfNot(Environment.UserName == "root", "creating a TAP needs root (CAP_NET_ADMIN)");
        Skip.IfNot(File.Exists("/dev/net/tun"), "/dev/net/tun does not exist (the tun module is not loaded)");
        string name = $"hnv{Environment.ProcessId % 100000}";

        using (TapBackend tap = TapBackend.Create(name))
        using (var rig = new NetRig(queueSize: 256, backend: tap).Start())
        {
            // Quiet: no IPv6 router solicitations or MLD reports among the frames counted below.
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "1");
            Ip($"link set {name} up");
            Ip($"addr add {HostAddress}/24 dev {name}");
            Ip($"neigh add {GuestAddress} lladdr 52:54:00:12:34:56 dev {name}");

            // Guest to host: broadcast frames gathered from two descriptors each.
            long received = Counter(name, "rx_packets");
            byte[] frame = Frames.Ethernet(1514, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
            rig.Memory.Write(Header, [.. Frames.Header(), .. frame]);
            const int sent = 20000;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < sent; i++)
            {
                rig.Send(Segment.In(Header, 12), Segment.In(Header + 12, 1514));
            }

            clock.Stop();
            Assert.Equal(received + sent, Counter(name, "rx_packets"));
            Assert.Equal(sent, rig.Device.TransmittedFrames);
            output.WriteLine($"TX: {sent} frames of 1514 bytes in {clock.ElapsedMilliseconds} ms ({sent / clock.Elapsed.TotalSeconds:F0} frames/s, {sent * 1514 * 8 / clock.Elapsed.TotalSeconds / 1e9:F2} Gbit/s)");

            // Host to guest: UDP datagrams to the guest's address leave through the TAP into posted buffers.
            rig.PostReceiveBuffers([.. Enumerable.Range(0, 200).Select(i => new[] { Segment.Out(Buffers + ((ulong)i * 0x1000), 2048) })]);
            using (var udp = new UdpClient())
            {
                for (int i = 0; i < 100; i++)
                {
                    udp.Send(new byte[1000], new IPEndPoint(IPAddress.Parse(GuestAddress), 9));
                }
            }

            const uint datagramFrame = 12 + 14 + 20 + 8 + 1000;
            Assert.True(
                NetRig.WaitUntil(() => Enumerable.Range(0, rig.Receive.UsedIndex).Count(i => rig.Receive.Used(i).Length == datagramFrame) == 100),
                "not all 100 datagrams reached the guest's buffers");
            int last = Enumerable.Range(0, rig.Receive.UsedIndex).Last(i => rig.Receive.Used(i).Length == datagramFrame);
            Assert.Equal(NetRig.Mac, rig.Memory.GetSpan(Buffers + (rig.Receive.Used(last).Id * 0x1000) + 12, 6).ToArray());
            Assert.True(Counter(name, "tx_packets") >= 100);
        }

        Assert.False(Directory.Exists($"/sys/class/net/{name}"), "the TAP outlived its backend");
    }

    [Fact]
    public void A_Bad_Name_Is_A_Tap_Exception_In_One_Line()
    {
        var error = Assert.Throws<TapException>(() => TapBackend.Create("a-name-far-too-long"));

        Assert.StartsWith("TAP device name 'a-name-far-too-long' is not valid", error.Message);
    }

    private static long Counter(string name, string counter) =>
        long.Parse(File.ReadAllText($"/sys/class/net/{name}/statistics/{counter}").Trim());

    private static void Ip(string arguments)
    {
        using Process ip = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })!;
        string error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        Assert.True(ip.ExitCode == 0, $"ip {arguments}: {error}");
    }
}
