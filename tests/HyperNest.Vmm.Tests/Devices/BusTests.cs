using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Devices;

public sealed class BusTests
{
    private readonly Bus _bus = new();
    private readonly RecordingDevice _uart = new(0x11);
    private readonly RecordingDevice _rtc = new(0x22);

    public BusTests()
    {
        _bus.Register(0x3F8, 8, _uart);
        _bus.Register(0x70, 2, _rtc);
    }

    [Fact]
    public void Ranges_Are_Kept_In_Address_Order()
    {
        Assert.Equal([0x70UL, 0x3F8UL], _bus.Ranges.Select(r => r.Start));
    }

    [Theory]
    [InlineData(0x3F0UL, 0x10UL)] // covers the whole range
    [InlineData(0x3FFUL, 1UL)] // last port
    [InlineData(0x3F8UL, 1UL)] // first port
    [InlineData(0x3F4UL, 8UL)] // straddles the start
    [InlineData(0x3FCUL, 8UL)] // inside
    public void Overlapping_Registration_Is_Refused(ulong start, ulong length)
    {
        var error = Assert.Throws<InvalidOperationException>(() => _bus.Register(start, length, new RecordingDevice()));

        Assert.Contains("0x3f8+0x8", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _bus.Ranges.Count);
    }

    [Fact]
    public void Adjacent_Ranges_Are_Accepted()
    {
        _bus.Register(0x3F0, 8, new RecordingDevice());
        _bus.Register(0x400, 1, new RecordingDevice());

        Assert.Equal(4, _bus.Ranges.Count);
    }

    [Theory]
    [InlineData(0x10UL, 0UL)]
    [InlineData(ulong.MaxValue, 2UL)]
    public void Empty_Or_Wrapping_Ranges_Are_Refused(ulong start, ulong length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _bus.Register(start, length, new RecordingDevice()));
    }

    [Theory]
    [InlineData(0x3F8UL, 0UL)]
    [InlineData(0x3FFUL, 7UL)]
    [InlineData(0x3FCUL, 4UL)]
    public void Accesses_At_The_Range_Edges_Reach_The_Device_With_The_Offset_In_Its_Range(ulong address, ulong offset)
    {
        Span<byte> data = stackalloc byte[1];

        Assert.True(_bus.Read(address, data));
        Assert.True(_bus.Write(address, [0x42]));

        Assert.Equal(0x11, data[0]);
        Assert.Equal([("read", offset, 1), ("write", offset, 1)], _uart.Accesses);
    }

    [Fact]
    public void A_Wide_Access_Ending_At_The_Last_Byte_Is_Dispatched()
    {
        Assert.True(_bus.Read(0x3FC, stackalloc byte[4]));
        Assert.Equal([("read", 4UL, 4)], _uart.Accesses);
    }

    [Theory]
    [InlineData(0x3FFUL, 2)]
    [InlineData(0x3FCUL, 8)]
    [InlineData(0x71UL, 4)]
    public void An_Access_Straddling_The_End_Of_A_Range_Is_Not_Dispatched(ulong address, int length)
    {
        Assert.False(_bus.Read(address, new byte[length]));
        Assert.False(_bus.Write(address, new byte[length]));

        Assert.Empty(_uart.Accesses);
        Assert.Empty(_rtc.Accesses);
    }

    [Theory]
    [InlineData(0x3F7UL)]
    [InlineData(0x400UL)]
    [InlineData(0x72UL)]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void Unclaimed_Addresses_Return_False(ulong address)
    {
        byte[] data = [0x99];

        Assert.False(_bus.Read(address, data));
        Assert.False(_bus.Write(address, data));

        Assert.Equal(0x99, data[0]);
        Assert.Empty(_uart.Accesses);
        Assert.Empty(_rtc.Accesses);
    }

    [Fact]
    public void Lookups_Find_Each_Of_Many_Devices()
    {
        var bus = new Bus();
        RecordingDevice[] devices = [.. Enumerable.Range(0, 33).Select(i => new RecordingDevice((byte)i))];
        foreach (int i in new[] { 5, 0, 32, 17, 9 }.Concat(Enumerable.Range(0, 33).Except([5, 0, 32, 17, 9])))
        {
            bus.Register(0xD000_0000UL + ((ulong)i * 0x1000), 0x1000, devices[i]);
        }

        for (int i = 0; i < devices.Length; i++)
        {
            byte[] data = new byte[4];
            Assert.True(bus.Read(0xD000_0000UL + ((ulong)i * 0x1000) + 0xFFC, data));
            Assert.Equal((byte)i, data[0]);
        }
    }
}
