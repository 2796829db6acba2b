using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class VirtQueueTests : IDisposable
{
    private const ulong Data = 0x100000;
    private const ulong Table = 0x80000;

    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);
    private readonly SplitQueueDriver _driver;

    public VirtQueueTests() => _driver = new SplitQueueDriver(_memory, 8);

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Pops_Nothing_When_The_Driver_Made_Nothing_Available()
    {
        VirtQueue queue = Ready();

        Assert.False(queue.TryPop(out _));
    }

    [Fact]
    public void Pops_Nothing_From_A_Queue_That_Is_Not_Ready()
    {
        var queue = new VirtQueue(_memory, 8);
        _driver.AddChain(Segment.In(Data, 16));

        Assert.False(queue.TryPop(out _));
    }

    [Fact]
    public void Pops_A_Chain_As_Its_Readable_Then_Its_Writable_Buffers()
    {
        VirtQueue queue = Ready();
        ushort head = _driver.AddChain(Segment.In(Data, 16), Segment.In(Data + 16, 4), Segment.Out(Data + 512, 512), Segment.Out(Data + 1024, 1));

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.None, chain.Error);
        Assert.Equal(head, chain.HeadIndex);
        Assert.Equal([new GuestBuffer(Data, 16), new GuestBuffer(Data + 16, 4)], chain.Readable.ToArray());
        Assert.Equal([new GuestBuffer(Data + 512, 512), new GuestBuffer(Data + 1024, 1)], chain.Writable.ToArray());
        Assert.Equal(20, chain.ReadableLength);
        Assert.Equal(513, chain.WritableLength);
        Assert.False(queue.TryPop(out _));
    }

    [Fact]
    public void Readable_And_Writable_Bytes_Are_One_Stream_Across_Descriptors()
    {
        VirtQueue queue = Ready();
        _memory.Write(Data, [1, 2, 3]);
        _memory.Write(Data + 100, [4, 5]);
        _driver.AddChain(Segment.In(Data, 3), Segment.In(Data + 100, 2), Segment.Out(Data + 200, 2), Segment.Out(Data + 300, 3));
        Assert.True(queue.TryPop(out DescriptorChain chain));

        var gathered = new byte[4];
        int read = chain.CopyFromReadable(1, gathered);
        int written = chain.CopyToWritable(1, [7, 8, 9, 10]);

        Assert.Equal(4, read);
        Assert.Equal(new byte[] { 2, 3, 4, 5 }, gathered);
        Assert.Equal(4, written);
        Assert.Equal(new byte[] { 0, 7 }, _memory.GetSpan(Data + 200, 2).ToArray());
        Assert.Equal(new byte[] { 8, 9, 10 }, _memory.GetSpan(Data + 300, 3).ToArray());
    }

    [Fact]
    public void Chain_With_A_Loop_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(0, Data, 16, SplitQueueDriver.Next, 1);
        _driver.WriteDescriptor(1, Data, 16, SplitQueueDriver.Next, 0);
        _driver.Publish(0);

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.TooLong, chain.Error);
        Assert.False(chain.TryGetLastWritableByte(out _));
    }

    [Fact]
    public void Chain_That_Points_At_Itself_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(3, Data, 16, SplitQueueDriver.Next | SplitQueueDriver.Write, 3);
        _driver.Publish(3);

        Assert.Equal(ChainError.TooLong, PopError(queue));
    }

    [Fact]
    public void Chain_Using_Every_Descriptor_Once_Is_Not_A_Loop()
    {
        VirtQueue queue = Ready();
        _driver.AddChain([.. Enumerable.Range(0, 8).Select(i => Segment.Out(Data + (ulong)(i * 16), 16))]);

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.None, chain.Error);
        Assert.Equal(8, chain.Writable.Length);
    }

    [Fact]
    public void Chain_With_A_Next_Index_Beyond_The_Table_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(0, Data, 16, SplitQueueDriver.Next, 8);
        _driver.Publish(0);

        Assert.Equal(ChainError.DescriptorIndexOutOfRange, PopError(queue));
    }

    [Theory]
    [InlineData(16 * MemoryLayout.MiB - 8, 16u)]
    [InlineData(0xFFFF_FFFF_FFFF_FFF0, 32u)]
    [InlineData(0xD000_0000, 4u)]
    [InlineData(Data, 0x8000_0000u)]
    public void Buffer_Outside_Guest_Memory_Fails_The_Request_But_Keeps_The_Status_Byte_Reachable(ulong address, uint length)
    {
        VirtQueue queue = Ready();
        _driver.AddChain(Segment.In(Data, 16), Segment.Out(address, length), Segment.Out(Data + 64, 1));

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.BufferOutsideGuestMemory, chain.Error);
        Assert.True(chain.TryGetLastWritableByte(out Span<byte> status));
        status[0] = 0x5A;
        Assert.Equal(0x5A, _memory.Read<byte>(Data + 64));
    }

    [Fact]
    public void Readable_Buffer_After_A_Writable_One_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        _driver.AddChain(Segment.In(Data, 16), Segment.Out(Data + 16, 16), Segment.In(Data + 32, 16));

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.ReadableAfterWritable, chain.Error);
        Assert.False(chain.TryGetLastWritableByte(out _));
    }

    [Fact]
    public void Zero_Length_Last_Buffer_Leaves_No_Status_Byte_To_Reach()
    {
        VirtQueue queue = Ready();
        _driver.AddChain(Segment.In(Data, 16), Segment.Out(Data + 16, 512), Segment.Out(Data + 1024, 0));

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.None, chain.Error);
        Assert.False(chain.TryGetLastWritableByte(out _));
    }

    [Fact]
    public void Indirect_Table_Is_Followed_When_Negotiated()
    {
        VirtQueue queue = Ready();
        ushort head = _driver.AddIndirectChain(Table, Segment.In(Data, 16), Segment.Out(Data + 512, 512), Segment.Out(Data + 1024, 1));

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.None, chain.Error);
        Assert.Equal(head, chain.HeadIndex);
        Assert.Equal([new GuestBuffer(Data, 16)], chain.Readable.ToArray());
        Assert.Equal([new GuestBuffer(Data + 512, 512), new GuestBuffer(Data + 1024, 1)], chain.Writable.ToArray());
    }

    [Fact]
    public void Indirect_Table_As_Large_As_The_Queue_Maximum_Is_Followed()
    {
        VirtQueue queue = Ready();
        _driver.AddIndirectChain(Table, [.. Enumerable.Range(0, 8).Select(i => Segment.Out(Data + (ulong)(i * 16), 16))]);

        Assert.True(queue.TryPop(out DescriptorChain chain));

        Assert.Equal(ChainError.None, chain.Error);
        Assert.Equal(8, chain.Writable.Length);
    }

    [Fact]
    public void Indirect_Descriptor_Fails_The_Request_When_Not_Negotiated()
    {
        VirtQueue queue = Ready(features: Version1);
        _driver.AddIndirectChain(Table, Segment.In(Data, 16));

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(8u)]
    [InlineData(24u)]
    [InlineData(16u * 9)]
    public void Indirect_Table_That_Is_Empty_Partial_Or_Larger_Than_The_Queue_Maximum_Fails_The_Request(uint length)
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(0, Table, length, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Fact]
    public void Indirect_Table_Outside_Guest_Memory_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(0, (16 * MemoryLayout.MiB) - 16, 32, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Fact]
    public void Indirect_Descriptor_With_Next_Set_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        SplitQueueDriver.WriteIndirectTable(_memory, Table, Segment.In(Data, 16));
        _driver.WriteDescriptor(0, Table, 16, SplitQueueDriver.Indirect | SplitQueueDriver.Next, 1);
        _driver.WriteDescriptor(1, Data, 16, 0, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Fact]
    public void Indirect_Descriptor_Inside_An_Indirect_Table_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        SplitQueueDriver.WriteDescriptor(_memory, Table, 0, Table + 0x100, 16, SplitQueueDriver.Indirect, 0);
        SplitQueueDriver.WriteIndirectTable(_memory, Table + 0x100, Segment.In(Data, 16));
        _driver.WriteDescriptor(0, Table, 16, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Fact]
    public void Indirect_Descriptor_After_The_Head_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        SplitQueueDriver.WriteIndirectTable(_memory, Table, Segment.In(Data, 16));
        _driver.WriteDescriptor(0, Data, 16, SplitQueueDriver.Next, 1);
        _driver.WriteDescriptor(1, Table, 16, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.IndirectTableMalformed, PopError(queue));
    }

    [Fact]
    public void Indirect_Table_With_A_Loop_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        SplitQueueDriver.WriteDescriptor(_memory, Table, 0, Data, 16, SplitQueueDriver.Next, 1);
        SplitQueueDriver.WriteDescriptor(_memory, Table, 1, Data, 16, SplitQueueDriver.Next, 0);
        _driver.WriteDescriptor(0, Table, 32, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.TooLong, PopError(queue));
    }

    [Fact]
    public void Indirect_Table_Entry_Pointing_Beyond_The_Table_Fails_The_Request()
    {
        VirtQueue queue = Ready();
        SplitQueueDriver.WriteDescriptor(_memory, Table, 0, Data, 16, SplitQueueDriver.Next, 2);
        SplitQueueDriver.WriteDescriptor(_memory, Table, 1, Data, 16, 0, 0);
        SplitQueueDriver.WriteDescriptor(_memory, Table, 2, Data, 16, 0, 0);
        _driver.WriteDescriptor(0, Table, 32, SplitQueueDriver.Indirect, 0);
        _driver.Publish(0);

        Assert.Equal(ChainError.DescriptorIndexOutOfRange, PopError(queue));
    }

    [Fact]
    public void Failed_Chain_Does_Not_Stop_The_Next_One()
    {
        VirtQueue queue = Ready();
        _driver.WriteDescriptor(7, Data, 16, SplitQueueDriver.Next, 7);
        _driver.Publish(7);
        _driver.AddChain(Segment.In(Data, 16));

        Assert.True(queue.TryPop(out DescriptorChain bad));
        Assert.Equal(ChainError.TooLong, bad.Error);
        queue.AddUsed(bad.HeadIndex, 0);
        Assert.True(queue.TryPop(out DescriptorChain good));

        Assert.Equal(ChainError.None, good.Error);
        Assert.False(queue.IsBroken);
    }

    [Theory]
    [InlineData(9, 0)]
    [InlineData(1, 8)]
    [InlineData(1, 0xFFFF)]
    public void Available_Index_Jumping_Past_The_Queue_Size_Or_A_Head_Beyond_The_Table_Breaks_The_Queue(int buffers, int head)
    {
        VirtQueue queue = Ready();
        for (int i = 0; i < buffers; i++)
        {
            _driver.Publish((ushort)head);
        }

        Assert.False(queue.TryPop(out _));

        Assert.True(queue.IsBroken);
    }

    [Fact]
    public void Used_Ring_Receives_Heads_And_Lengths_In_Completion_Order_Across_Wrap_Around()
    {
        VirtQueue queue = Ready();
        for (int i = 0; i < 20; i++)
        {
            ushort head = _driver.AddChain(Segment.Out(Data, 4));
            Assert.True(queue.TryPop(out DescriptorChain chain));
            queue.AddUsed(chain.HeadIndex, (uint)(100 + i));

            Assert.Equal((ushort)(i + 1), _driver.UsedIndex);
            Assert.Equal((head, (uint)(100 + i)), _driver.Used(i));
        }
    }

    [Fact]
    public void Ring_Indices_Wrap_Around_At_65536()
    {
        var small = new SplitQueueDriver(_memory, 2);
        VirtQueue queue = Ready(small);
        for (int i = 0; i < 65540; i++)
        {
            small.AddChain(Segment.Out(Data, 4));
            Assert.True(queue.TryPop(out DescriptorChain chain));
            queue.AddUsed(chain.HeadIndex, 4);
        }

        Assert.Equal(4, small.UsedIndex);
        Assert.False(queue.IsBroken);
    }

    [Fact]
    public void Used_Buffers_Interrupt_The_Driver_Once_Per_Check()
    {
        VirtQueue queue = Ready();
        Complete(queue);

        Assert.True(queue.ShouldInterrupt());
        Assert.False(queue.ShouldInterrupt());
    }

    [Fact]
    public void No_Interrupt_Flag_Suppresses_The_Interrupt()
    {
        VirtQueue queue = Ready();
        _driver.AvailableFlags = 1;

        Complete(queue);

        Assert.False(queue.ShouldInterrupt());
    }

    [Fact]
    public void With_Event_Index_The_Driver_Is_Interrupted_Only_When_Used_Event_Is_Passed()
    {
        VirtQueue queue = Ready(features: Version1 | EventIndex);
        _driver.AvailableFlags = 1;
        _driver.UsedEvent = 1;

        Complete(queue);
        Assert.False(queue.ShouldInterrupt());

        Complete(queue);
        Assert.True(queue.ShouldInterrupt());
    }

    [Fact]
    public void With_Event_Index_The_Device_Asks_To_Be_Notified_At_The_Next_Buffer_When_Idle()
    {
        VirtQueue queue = Ready(features: Version1 | EventIndex);
        _driver.AddChain(Segment.Out(Data, 4));
        _driver.AddChain(Segment.Out(Data, 4));

        while (queue.TryPop(out _))
        {
        }

        Assert.Equal(2, _driver.AvailableEvent);
    }

    [Fact]
    public void Reset_Forgets_The_Rings_And_Restores_The_Maximum_Size()
    {
        VirtQueue queue = Ready();

        queue.Reset();

        Assert.False(queue.IsReady);
        Assert.Equal(8, queue.Size);
        Assert.Equal(0UL, queue.DescriptorTableAddress);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(65535)]
    public void Maximum_Size_Must_Be_A_Power_Of_Two_Up_To_32768(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtQueue(_memory, (ushort)size));
    }

    private VirtQueue Ready(SplitQueueDriver? driver = null, ulong features = Version1 | IndirectDescriptors)
    {
        driver ??= _driver;
        var queue = new VirtQueue(_memory, 8)
        {
            Size = driver.Size,
            DescriptorTableAddress = driver.DescriptorTable,
            DriverAreaAddress = driver.DriverArea,
            DeviceAreaAddress = driver.DeviceArea,
        };
        queue.SetNegotiatedFeatures(features);
        Assert.True(queue.TryMakeReady());
        return queue;
    }

    private static ChainError PopError(VirtQueue queue)
    {
        Assert.True(queue.TryPop(out DescriptorChain chain));
        return chain.Error;
    }

    private void Complete(VirtQueue queue)
    {
        _driver.AddChain(Segment.Out(Data, 4));
        Assert.True(queue.TryPop(out DescriptorChain chain));
        queue.AddUsed(chain.HeadIndex, 4);
    }
}
