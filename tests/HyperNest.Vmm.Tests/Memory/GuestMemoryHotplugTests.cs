using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Memory;

/// <summary>
/// Guest memory with a virtio-mem region: device accesses (DMA) reach plugged blocks like RAM, and unplugged blocks
/// fail like any address that is not RAM.
/// </summary>
public sealed class GuestMemoryHotplugTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB, Block = 2 * MiB;

    private readonly GuestMemory _memory = new(64 * MiB, hotplugSize: 256 * MiB);

    public void Dispose() => _memory.Dispose();

    private HotplugRegion Region => _memory.Hotplug!;

    [Fact]
    public void Without_A_Hotplug_Size_There_Is_No_Region()
    {
        using var memory = new GuestMemory(64 * MiB);

        Assert.Null(memory.Hotplug);
    }

    [Fact]
    public void The_Region_Lies_Where_The_Layout_Puts_It_And_Is_Not_Boot_Ram()
    {
        Assert.Equal(MemoryLayout.HotplugRegionAddress(64 * MiB), Region.GuestPhysicalAddress);
        Assert.Equal(256 * MiB, Region.Size);
        Assert.Equal(64 * MiB, _memory.Size);
        Assert.Equal(MemoryLayout.RegionsFor(64 * MiB), _memory.Regions);
    }

    [Fact]
    public void The_E820_Map_Does_Not_Show_The_Region()
    {
        IReadOnlyList<E820Entry> map = E820Map.For(_memory.Regions);

        Assert.All(map, entry => Assert.True(entry.Address + entry.Size <= Region.GuestPhysicalAddress));
    }

    [Fact]
    public void Unplugged_Blocks_Fail_As_Addresses_Outside_Ram_Do()
    {
        ulong address = Region.GuestPhysicalAddress;

        Assert.False(_memory.IsValid(address, 8));
        Assert.False(_memory.TryGetSpan(address, 8, out _));
        var error = Assert.Throws<GuestMemoryException>(() => _memory.GetSpan(address, 8));
        Assert.Equal((address, 8UL), (error.Address, error.Length));
        Assert.Throws<GuestMemoryException>(() => _memory.Write(address, 1UL));
        Assert.Throws<GuestMemoryException>(() => _memory.Read<ulong>(address));
    }

    [Fact]
    public void Plugged_Blocks_Are_Read_And_Written_Like_Ram()
    {
        ulong address = Region.GuestPhysicalAddress + (3 * Block);
        Region.Plug(3, 1);

        _memory.Write(address + 16, 0xFEED_FACE_CAFE_BEEFUL);

        Assert.Equal(0xFEED_FACE_CAFE_BEEFUL, _memory.Read<ulong>(address + 16));
        Assert.True(_memory.IsValid(address, Block));
        Assert.Equal(0xEF, _memory.GetSpan(address + 16, 1)[0]);
    }

    [Fact]
    public void A_Range_Running_From_A_Plugged_Block_Into_An_Unplugged_One_Fails_Whole()
    {
        ulong end = Region.GuestPhysicalAddress + Block;
        Region.Plug(0, 1);

        Assert.False(_memory.IsValid(end - 4, 8));
        Assert.Throws<GuestMemoryException>(() => _memory.Write(end - 4, ulong.MaxValue));
        Assert.Equal(0u, _memory.Read<uint>(end - 4));
    }

    [Fact]
    public void Contiguous_Plugged_Blocks_Are_One_Range()
    {
        ulong address = Region.GuestPhysicalAddress + (10 * Block);
        Region.Plug(10, 2);

        Assert.True(_memory.TryGetSpan(address + Block - 4, 8, out Span<byte> span));
        Assert.Equal(8, span.Length);
    }

    [Fact]
    public void A_Block_Unplugged_Again_Fails_And_Its_Contents_Are_Gone()
    {
        ulong address = Region.GuestPhysicalAddress + (5 * Block);
        Region.Plug(5, 1);
        _memory.Write(address, 0x1234UL);

        Region.Unplug(5, 1);

        Assert.False(_memory.TryGetSpan(address, 8, out _));
        Region.Plug(5, 1);
        Assert.Equal(0UL, _memory.Read<ulong>(address));
    }

    [Fact]
    public void Boot_Ram_And_The_Region_Do_Not_Alias()
    {
        Region.Plug(0, 1);
        _memory.Write(Region.GuestPhysicalAddress, ulong.MaxValue);

        Assert.Equal(0UL, _memory.Read<ulong>(0));
        Assert.Equal(0UL, _memory.Read<ulong>((64 * MiB) - 8));
    }

    [Fact]
    public void Addresses_Between_Boot_Ram_And_The_Region_Stay_Invalid()
    {
        Region.Plug(0, Region.BlockCount);

        Assert.False(_memory.IsValid(64 * MiB, 1));
        Assert.False(_memory.IsValid(Region.GuestPhysicalAddress - 1, 2));
        Assert.False(_memory.IsValid(Region.End, 1));
        Assert.False(_memory.IsValid(Region.End - 1, 2));
        Assert.True(_memory.IsValid(Region.GuestPhysicalAddress, Region.Size));
    }

    [Theory]
    [InlineData(64UL << 20, 4096UL)] // not whole 2 MiB blocks
    [InlineData(64UL << 20, (2UL << 20) + 4096)]
    public void Hotplug_Size_Must_Be_Whole_Blocks(ulong size, ulong hotplugSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GuestMemory(size, hotplugSize));
    }
}
