using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// virtio-blk's request path, the same for every image format: <see cref="RawBlockTests"/> and
/// <see cref="Qcow2BlockTests"/> run these over a 64-sector image whose byte i is <see cref="TempDiskImage.PatternAt"/>(i).
/// </summary>
public abstract class BlockTests : IDisposable
{
    private const long ImageSectors = 64;
    private const ulong Header = 0x100000, Payload = 0x200000, StatusByte = 0x300000;
    private const byte Untouched = 0xEE;

    private ITestDisk? _image;
    private DeviceRig? _rig;
    private Block? _block;

    /// <summary>The image under test, made on first use (so a test skips if what makes it is missing).</summary>
    private ITestDisk Image => _image ??= CreateImage(ImageSectors);

    public void Dispose()
    {
        _rig?.Dispose();
        _image?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An image of <paramref name="sectors"/> whole sectors (a raw one may have a partial sector more).</summary>
    private protected abstract ITestDisk CreateImage(long sectors);

    [SkippableFact]
    public void Is_A_Block_Device_With_One_Queue_Of_256()
    {
        DeviceRig rig = Start();

        Assert.Equal(2u, rig.Driver.Read(DeviceId));
        rig.Driver.Write(QueueSel, 0);
        Assert.Equal(256u, rig.Driver.Read(QueueNumMax));
        rig.Driver.Write(QueueSel, 1);
        Assert.Equal(0u, rig.Driver.Read(QueueNumMax));
    }

    [SkippableFact]
    public void Config_Space_Reports_Capacity_In_Whole_Sectors_Segment_Max_And_Block_Size()
    {
        DeviceRig rig = Start();

        Assert.Equal((uint)ImageSectors, rig.Driver.Read(Config));
        Assert.Equal(0u, rig.Driver.Read(Config + 4));
        Assert.Equal(254u, rig.Driver.Read(Config + 12));
        Assert.Equal(512u, rig.Driver.Read(Config + 20));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Offers_Flush_Segment_Max_And_Block_Size_And_ReadOnly_Only_For_A_ReadOnly_Disk(bool readOnly)
    {
        using var block = new Block(Image.Path, readOnly);
        const ulong flush = 1UL << 9, segmentMax = 1UL << 2, blockSize = 1UL << 6, ro = 1UL << 5;

        Assert.Equal(flush | segmentMax | blockSize | (readOnly ? ro : 0), block.OfferedFeatures);
    }

    [SkippableFact]
    public void Write_Then_Read_Round_Trips_Through_The_Image_File()
    {
        DeviceRig rig = Start();
        byte[] sectors = [.. Enumerable.Range(0, 1024).Select(i => (byte)(i ^ 0x5A))];
        rig.Memory.Write(Payload, sectors);

        Assert.Equal((Block.StatusOk, 1u), Run(Block.RequestOut, 3, Segment.In(Payload, 1024)));

        rig.Memory.GetSpan(Payload, 1024).Clear();
        Assert.Equal((Block.StatusOk, 1025u), Run(Block.RequestIn, 3, Segment.Out(Payload, 1024)));
        Assert.Equal(sectors, rig.Memory.GetSpan(Payload, 1024).ToArray());
        Assert.Equal(2u, (uint)rig.Interrupt.Count);
        Assert.Equal(1u, rig.Driver.Read(InterruptStatus));

        StopDevice();
        Assert.Equal(sectors, Image.Read(3 * 512, 1024));
        Assert.Equal(TempDiskImage.Pattern(5 * 512, 512), Image.Read(5 * 512, 512));
    }

    [SkippableFact]
    public void Bytes_Read_And_Written_Count_The_Data_Of_Successful_Requests_Only()
    {
        Start();

        Run(Block.RequestOut, 3, Segment.In(Payload, 1024));
        Run(Block.RequestIn, 0, Segment.Out(Payload, 512));
        Assert.Equal(Block.StatusIoError, Run(Block.RequestIn, 64, Segment.Out(Payload, 512)).Status);
        Assert.Equal(Block.StatusIoError, Run(Block.RequestOut, 63, Segment.In(Payload, 1024)).Status);
        Run(Block.RequestFlush, 0);

        Assert.Equal(512, _block!.BytesRead);
        Assert.Equal(1024, _block.BytesWritten);
    }

    [SkippableFact]
    public void Read_Returns_What_The_Image_Holds()
    {
        DeviceRig rig = Start();

        Assert.Equal((Block.StatusOk, 513u), Run(Block.RequestIn, 63, Segment.Out(Payload, 512)));

        Assert.Equal(TempDiskImage.Pattern(63 * 512, 512), rig.Memory.GetSpan(Payload, 512).ToArray());
    }

    [SkippableFact]
    public void Requests_May_Split_Header_Data_And_Status_Across_Descriptors_Any_Way()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestIn, 1);
        rig.Memory.Write(StatusByte + 512, Untouched);

        // Header in two pieces; data in three; the last data bytes and the status byte share a descriptor.
        ushort head = rig.Queue.AddChain(
            Segment.In(Header, 10), Segment.In(Header + 10, 6),
            Segment.Out(Payload, 512), Segment.Out(Payload + 0x1000, 256), Segment.Out(StatusByte + 256, 257));
        uint used = rig.Complete(head);

        Assert.Equal(1025u, used);
        Assert.Equal(Block.StatusOk, rig.Memory.Read<byte>(StatusByte + 512));
        Assert.Equal(TempDiskImage.Pattern(512, 512), rig.Memory.GetSpan(Payload, 512).ToArray());
        Assert.Equal(TempDiskImage.Pattern(1024, 256), rig.Memory.GetSpan(Payload + 0x1000, 256).ToArray());
        Assert.Equal(TempDiskImage.Pattern(1280, 256), rig.Memory.GetSpan(StatusByte + 256, 256).ToArray());
    }

    [SkippableFact]
    public void Write_Gathers_Data_From_Several_Buffers()
    {
        DeviceRig rig = Start();
        rig.Memory.Write(Payload, Enumerable.Repeat((byte)0xA1, 100).ToArray());
        rig.Memory.Write(Payload + 0x1000, Enumerable.Repeat((byte)0xB2, 412).ToArray());

        Assert.Equal((Block.StatusOk, 1u), Run(Block.RequestOut, 0, Segment.In(Payload, 100), Segment.In(Payload + 0x1000, 412)));

        StopDevice();
        byte[] sector = Image.Read(0, 512);
        Assert.All(sector[..100], b => Assert.Equal(0xA1, b));
        Assert.All(sector[100..], b => Assert.Equal(0xB2, b));
    }

    [SkippableFact]
    public void Requests_In_An_Indirect_Table_Are_Served()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestIn, 2);

        ushort head = rig.Queue.AddIndirectChain(0x80000, Segment.In(Header, 16), Segment.Out(Payload, 512), Segment.Out(StatusByte, 1));
        uint used = rig.Complete(head);

        Assert.Equal(513u, used);
        Assert.Equal(Block.StatusOk, rig.Memory.Read<byte>(StatusByte));
        Assert.Equal(TempDiskImage.Pattern(1024, 512), rig.Memory.GetSpan(Payload, 512).ToArray());
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Flush_Completes_With_Ok_Whether_Or_Not_Flush_Was_Negotiated(bool negotiated)
    {
        Start(accept: negotiated ? DeviceRig.AllFeatures : ~Block.FeatureFlush);

        Assert.Equal((Block.StatusOk, 1u), Run(Block.RequestFlush, 0));
    }

    [SkippableFact]
    public void Writes_Complete_When_Flush_Was_Not_Negotiated()
    {
        DeviceRig rig = Start(accept: ~Block.FeatureFlush);
        rig.Memory.Write(Payload, Enumerable.Repeat((byte)0x77, 512).ToArray());

        Assert.Equal((Block.StatusOk, 1u), Run(Block.RequestOut, 7, Segment.In(Payload, 512)));

        StopDevice();
        Assert.All(Image.Read(7 * 512, 512), b => Assert.Equal(0x77, b));
    }

    [SkippableFact]
    public void GetId_Returns_The_Serial_Padded_With_Zeros_To_20_Bytes()
    {
        DeviceRig rig = Start(serial: "hn-disk-0");
        rig.Memory.GetSpan(Payload, 20).Fill(0xFF);

        Assert.Equal((Block.StatusOk, 21u), Run(Block.RequestGetId, 0, Segment.Out(Payload, 20)));

        Assert.Equal("hn-disk-0"u8.ToArray().Concat(new byte[11]), rig.Memory.GetSpan(Payload, 20).ToArray());
    }

    [SkippableFact]
    public void GetId_Into_A_Short_Buffer_Returns_Only_What_Fits()
    {
        DeviceRig rig = Start(serial: "0123456789abcdefghij");
        rig.Memory.GetSpan(Payload, 16).Fill(0xFF);

        Assert.Equal((Block.StatusOk, 9u), Run(Block.RequestGetId, 0, Segment.Out(Payload, 8)));

        Assert.Equal("01234567"u8.ToArray(), rig.Memory.GetSpan(Payload, 8).ToArray());
        Assert.Equal(0xFF, rig.Memory.Read<byte>(Payload + 8));
    }

    [SkippableFact]
    public void Write_To_A_ReadOnly_Disk_Fails_With_IoError_And_Leaves_The_Image_Unchanged()
    {
        DeviceRig rig = Start(readOnly: true);
        rig.Memory.GetSpan(Payload, 512).Fill(0x99);

        Assert.Equal((Block.StatusIoError, 1u), Run(Block.RequestOut, 0, Segment.In(Payload, 512)));

        Assert.Equal(TempDiskImage.Pattern(0, 512), Image.Read(0, 512));
    }

    [SkippableFact]
    public void ReadOnly_Disk_Still_Serves_Reads_And_Flushes()
    {
        Start(readOnly: true);

        Assert.Equal((Block.StatusOk, 513u), Run(Block.RequestIn, 0, Segment.Out(Payload, 512)));
        Assert.Equal((Block.StatusOk, 1u), Run(Block.RequestFlush, 0));
    }

    [SkippableTheory]
    [InlineData(Block.RequestIn, 64UL, 512u)]
    [InlineData(Block.RequestIn, 63UL, 1024u)]
    [InlineData(Block.RequestOut, 63UL, 1024u)]
    [InlineData(Block.RequestIn, ulong.MaxValue, 512u)]
    [InlineData(Block.RequestOut, (ulong.MaxValue / 512) + 1, 512u)]
    public void Request_Beyond_The_Capacity_Fails_With_IoError_And_Moves_No_Data(uint type, ulong sector, uint length)
    {
        DeviceRig rig = Start();
        rig.Memory.GetSpan(Payload, (int)length).Fill(0x42);
        Segment data = type == Block.RequestIn ? Segment.Out(Payload, length) : Segment.In(Payload, length);

        Assert.Equal((Block.StatusIoError, 1u), Run(type, sector, data));

        Assert.All(rig.Memory.GetSpan(Payload, (int)length).ToArray(), b => Assert.Equal(0x42, b));
        StopDevice();
        Assert.Equal(TempDiskImage.Pattern(63 * 512, 512), Image.Read(63 * 512, 512));
    }

    [SkippableTheory]
    [InlineData(Block.RequestIn, 100u)]
    [InlineData(Block.RequestIn, 513u)]
    [InlineData(Block.RequestOut, 511u)]
    public void Data_That_Is_Not_Whole_Sectors_Fails_With_IoError(uint type, uint length)
    {
        Start();
        Segment data = type == Block.RequestIn ? Segment.Out(Payload, length) : Segment.In(Payload, length);

        Assert.Equal((Block.StatusIoError, 1u), Run(type, 0, data));
    }

    [SkippableTheory]
    [InlineData(Block.RequestIn)]
    [InlineData(Block.RequestOut)]
    [InlineData(Block.RequestGetId)]
    public void Request_Without_Data_Fails_With_IoError(uint type)
    {
        Start();

        Assert.Equal((Block.StatusIoError, 1u), Run(type, 0));
    }

    [SkippableFact]
    public void Zero_Length_Data_Buffer_Fails_With_IoError()
    {
        Start();

        Assert.Equal((Block.StatusIoError, 1u), Run(Block.RequestIn, 0, Segment.Out(Payload, 0)));
    }

    [SkippableTheory]
    [InlineData(2u)]
    [InlineData(11u)]
    [InlineData(13u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Unsupported_Request_Type_Gets_Unsupp(uint type)
    {
        Start();

        Assert.Equal((Block.StatusUnsupported, 1u), Run(type, 0, Segment.Out(Payload, 512)));
    }

    [SkippableFact]
    public void Header_Shorter_Than_16_Bytes_Fails_With_IoError()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestIn, 0);
        rig.Memory.Write(StatusByte, Untouched);

        uint used = rig.Complete(rig.Queue.AddChain(Segment.In(Header, 12), Segment.Out(Payload, 512), Segment.Out(StatusByte, 1)));

        Assert.Equal(1u, used);
        Assert.Equal(Block.StatusIoError, rig.Memory.Read<byte>(StatusByte));
    }

    [SkippableFact]
    public void Read_Into_A_Device_Readable_Buffer_Fails_With_IoError_And_Does_Not_Write_It()
    {
        DeviceRig rig = Start();
        rig.Memory.GetSpan(Payload, 512).Fill(0x42);

        Assert.Equal((Block.StatusIoError, 1u), Run(Block.RequestIn, 0, Segment.In(Payload, 512)));

        Assert.All(rig.Memory.GetSpan(Payload, 512).ToArray(), b => Assert.Equal(0x42, b));
    }

    [SkippableFact]
    public void Write_From_A_Device_Writable_Buffer_Fails_With_IoError_And_Does_Not_Touch_The_Image()
    {
        Start();

        Assert.Equal((Block.StatusIoError, 1u), Run(Block.RequestOut, 0, Segment.Out(Payload, 512)));

        StopDevice();
        Assert.Equal(TempDiskImage.Pattern(0, 512), Image.Read(0, 512));
    }

    [SkippableTheory]
    [InlineData(16 * MemoryLayout.MiB - 256)]
    [InlineData(0xD000_0000UL)]
    public void Data_Buffer_Outside_Guest_Memory_Fails_With_IoError(ulong address)
    {
        Start();

        Assert.Equal((Block.StatusIoError, 1u), Run(Block.RequestIn, 0, Segment.Out(address, 512)));
    }

    [SkippableFact]
    public void Chain_Whose_Status_Buffer_Is_Empty_Is_Returned_With_Nothing_Written()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestIn, 0);
        rig.Memory.GetSpan(Payload, 512).Fill(0x42);

        uint used = rig.Complete(rig.Queue.AddChain(Segment.In(Header, 16), Segment.Out(Payload, 512), Segment.Out(StatusByte, 0)));

        Assert.Equal(0u, used);
        Assert.All(rig.Memory.GetSpan(Payload, 512).ToArray(), b => Assert.Equal(0x42, b));
    }

    [SkippableFact]
    public void Chain_Without_A_Device_Writable_Buffer_Is_Returned_With_Nothing_Written()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestFlush, 0);

        uint used = rig.Complete(rig.Queue.AddChain(Segment.In(Header, 16), Segment.In(StatusByte, 1)));

        Assert.Equal(0u, used);
    }

    [SkippableFact]
    public void Chain_With_A_Status_Buffer_Outside_Guest_Memory_Is_Returned_With_Nothing_Written()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestFlush, 0);

        uint used = rig.Complete(rig.Queue.AddChain(Segment.In(Header, 16), Segment.Out(0xD000_0000, 1)));

        Assert.Equal(0u, used);
    }

    [SkippableFact]
    public void Chain_With_A_Loop_Is_Returned_With_Nothing_Written_And_The_Next_Request_Succeeds()
    {
        DeviceRig rig = Start();
        WriteHeader(rig, Block.RequestIn, 0);
        rig.Memory.Write(StatusByte, Untouched);
        rig.Queue.WriteDescriptor(10, Header, 16, SplitQueueDriver.Next, 11);
        rig.Queue.WriteDescriptor(11, StatusByte, 1, SplitQueueDriver.Write | SplitQueueDriver.Next, 10);
        rig.Queue.Publish(10);

        uint used = rig.Complete(10);

        Assert.Equal(0u, used);
        Assert.Equal(Untouched, rig.Memory.Read<byte>(StatusByte));
        Assert.Equal(0u, rig.Driver.Status & DeviceNeedsReset);
        Assert.Equal((Block.StatusOk, 513u), Run(Block.RequestIn, 0, Segment.Out(Payload, 512)));
    }

    [SkippableFact]
    public void Serving_Requests_Does_Not_Allocate()
    {
        DeviceRig rig = Start(accept: ~Block.FeatureFlush);
        for (int warmUp = 0; warmUp < 2; warmUp++)
        {
            Run(Block.RequestIn, 0, Segment.Out(Payload, 512));
            Run(Block.RequestOut, 0, Segment.In(Payload, 512));
            Run(Block.RequestFlush, 0);
            Run(Block.RequestGetId, 0, Segment.Out(Payload, 20));
            Run(Block.RequestIn, 0, Segment.In(Payload, 512));
        }

        (uint Type, Segment Data)[] batch =
        [
            (Block.RequestIn, Segment.Out(Payload, 4096)),
            (Block.RequestOut, Segment.In(Payload, 4096)),
            (Block.RequestFlush, Segment.Out(Payload, 0)),
            (Block.RequestGetId, Segment.Out(Payload, 20)),
            (Block.RequestOut, Segment.Out(Payload, 512)),
        ];
        for (int i = 0; i < batch.Length; i++)
        {
            WriteHeader(rig, batch[i].Type, 8, Header + (ulong)(16 * i));
            rig.Queue.AddChain(Segment.In(Header + (ulong)(16 * i), 16), batch[i].Data, Segment.Out(StatusByte + (ulong)i, 1));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.Driver.Notify(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(new byte[] { Block.StatusOk, Block.StatusOk, Block.StatusOk, Block.StatusOk, Block.StatusIoError }, rig.Memory.GetSpan(StatusByte, 5).ToArray());
        Assert.Equal(0, allocated);
    }

    [SkippableFact]
    public void Missing_Disk_Throws_A_DiskException_With_A_One_Line_Message_Naming_The_Path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hypernest-missing-{Guid.NewGuid():N}.img");

        var error = Assert.Throws<DiskException>(() => new Block(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [SkippableFact]
    public void Image_Open_For_Writing_Cannot_Be_Opened_For_Writing_Again()
    {
        using var first = new Block(Image.Path);

        var error = Assert.Throws<DiskException>(() => new Block(Image.Path));

        Assert.Equal(Image.Path, error.Path);
    }

    [SkippableTheory]
    [InlineData("0123456789abcdefghijk")]
    [InlineData("disk-é")]
    public void Serial_That_Is_Not_At_Most_20_Ascii_Characters_Is_Refused(string serial)
    {
        Assert.Contains($"serial '{serial}' is not at most 20 ASCII characters", Assert.Throws<DiskException>(() => new Block(Image.Path, readOnly: true, serial)).Message);
    }

    private static void WriteHeader(DeviceRig rig, uint type, ulong sector, ulong address = Header)
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, type);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sector);
        rig.Memory.Write(address, header);
    }

    private DeviceRig Start(bool readOnly = false, string? serial = null, ulong accept = DeviceRig.AllFeatures)
    {
        _block = new Block(Image.Path, readOnly, serial);
        _rig = DeviceRig.Start(_block, accept);
        return _rig;
    }

    /// <summary>Header, <paramref name="data"/>, status byte: submits it and returns the status and used length.</summary>
    private (byte Status, uint Used) Run(uint type, ulong sector, params Segment[] data)
    {
        DeviceRig rig = _rig!;
        WriteHeader(rig, type, sector);
        rig.Memory.Write(StatusByte, Untouched);
        uint used = rig.Complete(rig.Queue.AddChain([Segment.In(Header, 16), .. data, Segment.Out(StatusByte, 1)]));
        return (rig.Memory.Read<byte>(StatusByte), used);
    }

    /// <summary>Closes the image (a read-write image is locked while the device has it open).</summary>
    private void StopDevice()
    {
        _rig?.Dispose();
        _rig = null;
    }
}
