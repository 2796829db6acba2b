using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A virtqueue saved and restored (the groundwork of save/restore): the restored queue is where the saved one was —
/// same rings, same next available and used positions, same interrupt suppression — and a state that could not have
/// come from a queue over this guest's RAM is refused before anything is touched.
/// </summary>
public sealed class VirtQueueStateTests : IDisposable
{
    private const ulong Data = 0x100000;

    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);
    private readonly SplitQueueDriver _driver;

    public VirtQueueStateTests() => _driver = new SplitQueueDriver(_memory, 8);

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void A_Restored_Queue_Pops_The_Next_Chain_And_Continues_The_Used_Ring()
    {
        VirtQueue queue = Ready(Version1 | EventIndex);
        ushort first = _driver.AddChain(Segment.Out(Data, 16));
        ushort second = _driver.AddChain(Segment.Out(Data + 16, 32));
        Assert.True(queue.TryPop(out DescriptorChain popped));
        Assert.Equal(first, popped.HeadIndex);
        queue.AddUsed(first, 16);

        VirtQueueState state = queue.Save();
        var restored = new VirtQueue(_memory, 8);
        restored.Restore(state);

        Assert.True(restored.TryPop(out DescriptorChain next));
        Assert.Equal(second, next.HeadIndex);
        restored.AddUsed(second, 32);
        Assert.Equal(2, _driver.UsedIndex);
        Assert.Equal(((uint)second, 32u), _driver.Used(1));
        Assert.Equal(state with { NextAvailable = 2, NextUsed = 2 }, restored.Save());
    }

    [Fact]
    public void The_Saved_State_Names_Every_Field_The_Queue_Runs_On()
    {
        VirtQueue queue = Ready(Version1 | EventIndex | IndirectDescriptors);
        _driver.AddChain(Segment.Out(Data, 16));
        Assert.True(queue.TryPop(out _));

        Assert.Equal(
            new VirtQueueState
            {
                Size = 8, DescriptorTableAddress = _driver.DescriptorTable, DriverAreaAddress = _driver.DriverArea,
                DeviceAreaAddress = _driver.DeviceArea, Ready = true, Broken = false, NextAvailable = 1, NextUsed = 0,
                UsedAtLastInterruptCheck = 0, EventIndex = true, IndirectDescriptors = true,
            },
            queue.Save());
    }

    [Fact]
    public void Interrupt_Suppression_Continues_Across_A_Restore()
    {
        VirtQueue queue = Ready(Version1);
        ushort head = _driver.AddChain(Segment.Out(Data, 16));
        Assert.True(queue.TryPop(out _));
        queue.AddUsed(head, 16);
        Assert.True(queue.ShouldInterrupt());

        var restored = new VirtQueue(_memory, 8);
        restored.Restore(queue.Save());

        Assert.False(restored.ShouldInterrupt()); // nothing used since the last check, before or after the restore
    }

    [Fact]
    public void A_Queue_That_Was_Never_Made_Ready_Restores_As_Not_Ready()
    {
        var restored = new VirtQueue(_memory, 8);
        restored.Restore(new VirtQueue(_memory, 8).Save());

        Assert.False(restored.IsReady);
        _driver.AddChain(Segment.Out(Data, 16));
        Assert.False(restored.TryPop(out _));
    }

    [Fact]
    public void A_Broken_Queue_Stays_Broken()
    {
        VirtQueue queue = Ready(Version1);
        queue.MarkBroken();

        var restored = new VirtQueue(_memory, 8);
        restored.Restore(queue.Save());

        Assert.True(restored.IsBroken);
    }

    [Theory]
    [InlineData(3, "size 3 is not a power of two from 1 to 8")]
    [InlineData(16, "size 16 is not a power of two from 1 to 8")]
    public void A_Size_This_Queue_Cannot_Have_Is_Refused(int size, string expected)
    {
        VirtQueueState state = Ready(Version1).Save() with { Size = (ushort)size };

        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => new VirtQueue(_memory, 8).Restore(state)).Message);
    }

    [Fact]
    public void A_Ready_Queue_Whose_Rings_Are_Not_Guest_Ram_Is_Refused_And_The_Queue_Is_Left_As_It_Was()
    {
        VirtQueueState state = Ready(Version1).Save() with { DeviceAreaAddress = 64 * MemoryLayout.MiB };
        var target = new VirtQueue(_memory, 8);
        VirtQueueState before = target.Save();

        Assert.Contains("rings are not aligned guest RAM", Assert.Throws<InvalidDataException>(() => target.Restore(state)).Message);
        Assert.Equal(before, target.Save());
    }

    private VirtQueue Ready(ulong features)
    {
        var queue = new VirtQueue(_memory, 8)
        {
            Size = _driver.Size,
            DescriptorTableAddress = _driver.DescriptorTable,
            DriverAreaAddress = _driver.DriverArea,
            DeviceAreaAddress = _driver.DeviceArea,
        };
        queue.SetNegotiatedFeatures(features);
        Assert.True(queue.TryMakeReady());
        return queue;
    }
}
