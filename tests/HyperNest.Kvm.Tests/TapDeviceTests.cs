using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HyperNest.Kvm.Tests;

public sealed class TapDeviceTests
{
    private const string Tun = "/dev/net/tun";

    [Theory]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData("has/slash")]
    [InlineData("has:colon")]
    [InlineData("has space")]
    [InlineData("..")]
    public void Create_Refuses_A_Name_Linux_Would_Refuse_In_One_Line(string name)
    {
        var error = Assert.Throws<TapException>(() => TapDevice.Create(name));

        Assert.Equal(name, error.InterfaceName);
        Assert.StartsWith($"TAP device name '{name}' is not valid", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Tap_Carries_Frames_Both_Ways_With_A_Vnet_Header_And_Is_Gone_After_Dispose()
    {
        SkipUnlessTapsCanBeCreated();
        string name = $"hnt{Environment.ProcessId % 100000}";
        string statistics = $"/sys/class/net/{name}/statistics";

        using (TapDevice tap = TapDevice.Create(name))
        {
            Assert.True(Directory.Exists($"/sys/class/net/{name}"));
            Assert.True(tap.SupportedOffloads.HasFlag(TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6));
            tap.SetOffloads(TapOffloads.Checksum | TapOffloads.Tso4);
            Ip($"link set {name} up");
            Ip($"addr add 10.213.77.1/24 dev {name}");

            // Into the host: a broadcast ARP request from a made-up neighbour; the interface counts it as received.
            long received = Counter(statistics, "rx_packets");
            byte[] frame = new byte[TapDevice.VnetHeaderSize + 42];
            byte[] arp = Convert.FromHexString(
                "ffffffffffff" + "02aabbccddee" + "0806" // Ethernet: broadcast, from 02:aa:bb:cc:dd:ee, ARP
                + "0001" + "0800" + "06" + "04" + "0001" // Ethernet/IPv4 request
                + "02aabbccddee" + "0ad54d02" + "000000000000" + "0ad54d01"); // who has 10.213.77.1? tell 10.213.77.2
            arp.CopyTo(frame, TapDevice.VnetHeaderSize);
            Assert.True(tap.Write(frame));
            Assert.Equal(received + 1, Counter(statistics, "rx_packets"));

            // Out of the host: a datagram to an unknown neighbour makes the kernel ARP for it through the TAP.
            using (var udp = new UdpClient())
            {
                udp.Send([1], new IPEndPoint(IPAddress.Parse("10.213.77.9"), 9));
            }

            Assert.True(ReadArpRequest(tap), "no ARP request came out of the TAP within 5 s");
            Assert.True(Counter(statistics, "tx_packets") >= 1);
        }

        Assert.False(Directory.Exists($"/sys/class/net/{name}"), "the kernel keeps a non-persistent TAP only while its descriptor is open");
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void Create_Refuses_A_Name_Another_Interface_Holds()
    {
        SkipUnlessTapsCanBeCreated();

        var error = Assert.Throws<TapException>(() => TapDevice.Create("lo"));

        Assert.Equal("cannot create TAP device 'lo': a network interface that is not a TAP has that name", error.Message);
    }

    private static void SkipUnlessTapsCanBeCreated()
    {
        Skip.IfNot(Environment.UserName == "root", "creating a TAP needs root (CAP_NET_ADMIN)");
        Skip.IfNot(File.Exists(Tun), $"{Tun} does not exist (the tun module is not loaded)");
    }

    private static bool ReadArpRequest(TapDevice tap)
    {
        byte[] buffer = new byte[TapDevice.MaxFrameLength];
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 5000)
        {
            if (!FdPoll.WaitReadable(tap.Handle, null, 500).First)
            {
                continue;
            }

            int length = tap.Read(buffer);
            int etherType = TapDevice.VnetHeaderSize + 12;
            if (length > etherType + 1 && buffer[etherType] == 0x08 && buffer[etherType + 1] == 0x06)
            {
                return true;
            }
        }

        return false;
    }

    private static long Counter(string statistics, string name) => long.Parse(File.ReadAllText(Path.Combine(statistics, name)).Trim());

    private static void Ip(string arguments)
    {
        using Process ip = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })!;
        string error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        Assert.True(ip.ExitCode == 0, $"ip {arguments}: {error}");
    }
}
