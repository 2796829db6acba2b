using HyperNest.Vmm.Devices.Virtio;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class RngTests : IDisposable
{
    private const ulong Buffer = 0x100000;

    private readonly DeviceRig _rig = DeviceRig.Start(new Rng());

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Is_An_Entropy_Device_Offering_Only_Transport_Features()
    {
        Assert.Equal(4u, _rig.Driver.Read(DeviceId));
        Assert.Equal(Version1 | IndirectDescriptors | EventIndex, _rig.Driver.DeviceFeatures);
    }

    [Fact]
    public void Fills_Every_Writable_Buffer_Of_A_Chain_And_Reports_The_Bytes_Filled()
    {
        ushort head = _rig.Queue.AddChain(Segment.Out(Buffer, 64), Segment.Out(Buffer + 0x1000, 64));

        uint used = _rig.Complete(head);

        Assert.Equal(128u, used);
        Assert.True(LooksRandom(_rig.Memory.GetSpan(Buffer, 64).ToArray()));
        Assert.True(LooksRandom(_rig.Memory.GetSpan(Buffer + 0x1000, 64).ToArray()));
        Assert.Equal(1, _rig.Interrupt.Count);
    }

    [Fact]
    public void Two_Requests_Get_Different_Bytes()
    {
        _rig.Complete(_rig.Queue.AddChain(Segment.Out(Buffer, 32)));
        _rig.Complete(_rig.Queue.AddChain(Segment.Out(Buffer + 32, 32)));

        Assert.NotEqual(_rig.Memory.GetSpan(Buffer, 32).ToArray(), _rig.Memory.GetSpan(Buffer + 32, 32).ToArray());
    }

    [Fact]
    public void Fills_At_Most_64_KiB_Per_Request()
    {
        _rig.Memory.GetSpan(Buffer, 0x20000).Clear();

        uint used = _rig.Complete(_rig.Queue.AddChain(Segment.Out(Buffer, 0x20000)));

        Assert.Equal((uint)Rng.MaxBytesPerRequest, used);
        Assert.True(_rig.Memory.GetSpan(Buffer + (ulong)Rng.MaxBytesPerRequest, 0x10000).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Chain_Without_Writable_Buffers_Is_Returned_Empty_And_Untouched()
    {
        _rig.Memory.GetSpan(Buffer, 64).Clear();

        uint used = _rig.Complete(_rig.Queue.AddChain(Segment.In(Buffer, 64)));

        Assert.Equal(0u, used);
        Assert.True(_rig.Memory.GetSpan(Buffer, 64).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Malformed_Chain_Is_Returned_Empty_And_Untouched()
    {
        _rig.Memory.GetSpan(Buffer, 64).Clear();

        uint used = _rig.Complete(_rig.Queue.AddChain(Segment.Out(Buffer, 64), Segment.Out(0xD000_0000, 64)));

        Assert.Equal(0u, used);
        Assert.True(_rig.Memory.GetSpan(Buffer, 64).IndexOfAnyExcept((byte)0) < 0);
    }

    /// <summary>64 random bytes are all zero, or repeat one value, with negligible probability.</summary>
    private static bool LooksRandom(byte[] bytes) => bytes.Distinct().Count() > 16;
}
