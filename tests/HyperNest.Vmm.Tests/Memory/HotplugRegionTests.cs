using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Memory;

/// <summary>The virtio-mem region: its plugged-block bitmap and what plugging and unplugging do to host memory.</summary>
public sealed class HotplugRegionTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB, Block = 2 * MiB;

    private readonly HotplugRegion _region = new(4 * GiB, 256 * MiB);

    public void Dispose() => _region.Dispose();

    [Fact]
    public void Blocks_Are_2MiB_And_All_Start_Unplugged()
    {
        Assert.Equal(Block, HotplugRegion.BlockSize);
        Assert.Equal(128UL, _region.BlockCount);
        Assert.Equal(0UL, _region.PluggedBlocks);
        Assert.Equal(0UL, _region.CountPlugged(0, 128));
        Assert.Equal((4 * GiB) + (256 * MiB), _region.End);
    }

    [Theory]
    [InlineData(4UL << 30, 0UL)] // empty
    [InlineData(4UL << 30, (2UL << 20) + 4096)] // not whole blocks
    [InlineData((4UL << 30) + (64UL << 20), 256UL << 20)] // not aligned to 128 MiB
    public void Region_Must_Be_Whole_Blocks_At_A_128MiB_Boundary(ulong address, ulong size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HotplugRegion(address, size));
    }

    [Fact]
    public void Plug_And_Unplug_Keep_The_Bitmap_And_The_Plugged_Count()
    {
        _region.Plug(3, 5);

        Assert.Equal(5UL, _region.PluggedBlocks);
        Assert.Equal(5UL, _region.CountPlugged(0, 128));
        Assert.Equal(0UL, _region.CountPlugged(0, 3));
        Assert.Equal(2UL, _region.CountPlugged(6, 10));

        _region.Unplug(4, 2);

        Assert.Equal(3UL, _region.PluggedBlocks);
        Assert.Equal(1UL, _region.CountPlugged(3, 1));
        Assert.Equal(0UL, _region.CountPlugged(4, 2));
        Assert.Equal(2UL, _region.CountPlugged(6, 2));
    }

    [Fact]
    public void Ranges_Across_Bitmap_Words_Are_Counted_Exactly()
    {
        _region.Plug(60, 10); // bits 60-69: two 64-bit words

        Assert.Equal(10UL, _region.CountPlugged(0, 128));
        Assert.Equal(4UL, _region.CountPlugged(60, 4));
        Assert.Equal(6UL, _region.CountPlugged(64, 64));

        _region.Unplug(62, 5);

        Assert.Equal(5UL, _region.PluggedBlocks);
        Assert.Equal(2UL, _region.CountPlugged(60, 4));
    }

    [Fact]
    public void UnplugAll_Unplugs_Every_Block()
    {
        _region.Plug(0, 1);
        _region.Plug(127, 1);

        _region.UnplugAll();

        Assert.Equal(0UL, _region.PluggedBlocks);
        Assert.Equal(0UL, _region.CountPlugged(0, 128));
    }

    [Theory]
    [InlineData(128UL, 1UL)]
    [InlineData(127UL, 2UL)]
    [InlineData(ulong.MaxValue, 2UL)]
    public void Block_Ranges_Beyond_The_Region_Are_A_Caller_Bug(ulong first, ulong count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _region.Plug(first, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => _region.Unplug(first, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => _region.CountPlugged(first, count));
    }

    [Fact]
    public void Only_Plugged_Blocks_Are_Reachable()
    {
        ulong block5 = _region.GuestPhysicalAddress + (5 * Block);
        _region.Plug(5, 1);

        Assert.True(_region.IsPlugged(block5, Block));
        Assert.True(_region.TryGetSpan(block5 + Block - 8, 8, out Span<byte> span));
        Assert.Equal(8, span.Length);
        Assert.False(_region.IsPlugged(block5 - 1, 2)); // straddles into unplugged block 4
        Assert.False(_region.IsPlugged(block5 + Block - 1, 2)); // straddles into unplugged block 6
        Assert.False(_region.IsPlugged(block5 + Block, 1));
        Assert.False(_region.TryGetSpan(block5 - 8, 8, out span));
        Assert.True(span.IsEmpty);
    }

    [Theory]
    [InlineData(0UL, 1UL)]
    [InlineData((4UL << 30) - 1, 2UL)] // straddles the region's start
    [InlineData((4UL << 30) + (256UL << 20), 1UL)] // just past the end
    [InlineData((4UL << 30) + (256UL << 20) - 1, 2UL)] // straddles the end
    [InlineData(4UL << 30, (256UL << 20) + 1)]
    [InlineData(ulong.MaxValue, 1UL)]
    [InlineData(4UL << 30, ulong.MaxValue)]
    public void Ranges_Outside_The_Region_Are_Never_Plugged_Even_When_All_Is(ulong address, ulong length)
    {
        _region.Plug(0, 128);

        Assert.False(_region.IsPlugged(address, length));
    }

    [Fact]
    public void A_Region_Wholly_Plugged_Is_Reachable_End_To_End()
    {
        _region.Plug(0, 128);

        Assert.True(_region.IsPlugged(_region.GuestPhysicalAddress, _region.Size));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Unplugging_Returns_The_Memory_So_A_Replugged_Block_Reads_Zero(bool all)
    {
        ulong address = _region.GuestPhysicalAddress + (100 * Block);
        _region.Plug(100, 1);
        Assert.True(_region.TryGetSpan(address, 4096, out Span<byte> page));
        page.Fill(0xA5);

        if (all)
        {
            _region.UnplugAll();
        }
        else
        {
            _region.Unplug(100, 1);
        }

        _region.Plug(100, 1);
        Assert.True(_region.TryGetSpan(address, 4096, out page));
        Assert.True(page.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Unplug_Returns_Only_The_Blocks_Named()
    {
        ulong neighbour = _region.GuestPhysicalAddress + (9 * Block);
        _region.Plug(8, 2);
        Assert.True(_region.TryGetSpan(neighbour, 8, out Span<byte> span));
        span.Fill(0x5A);

        _region.Unplug(8, 1);

        Assert.True(_region.TryGetSpan(neighbour, 8, out span));
        Assert.Equal(0x5A, span[7]);
    }

    [Fact]
    public void The_Plugged_Bitmap_Restores_Onto_A_Fresh_Region_Of_The_Same_Size()
    {
        _region.Plug(3, 5);
        _region.Plug(100, 28);
        using var fresh = new HotplugRegion(4 * GiB, 256 * MiB);

        fresh.RestorePlugged(_region.PluggedBitmap());

        Assert.Equal(33UL, fresh.PluggedBlocks);
        Assert.Equal(_region.PluggedBitmap(), fresh.PluggedBitmap());
        Assert.True(fresh.IsPlugged((4 * GiB) + (3 * Block), 5 * Block));
        Assert.False(fresh.IsPlugged((4 * GiB) + (8 * Block), 1));
    }

    [Fact]
    public void A_Bitmap_Of_Another_Region_Is_Refused_And_Nothing_Changes()
    {
        using var small = new HotplugRegion(4 * GiB, 128 * MiB); // 64 blocks: one word, all bits used
        _region.Plug(0, 1);

        Assert.Throws<InvalidDataException>(() => _region.RestorePlugged([ulong.MaxValue]));
        using var odd = new HotplugRegion(4 * GiB, 130 * MiB); // 65 blocks: bits past block 64 must be clear
        Assert.Throws<InvalidDataException>(() => odd.RestorePlugged([0, 0b110]));
        Assert.Equal(1UL, _region.PluggedBlocks);
    }
}
