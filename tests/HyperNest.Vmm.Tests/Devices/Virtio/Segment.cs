namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>One buffer of a chain as the test driver lays it out.</summary>
internal readonly record struct Segment(ulong Address, uint Length, bool Writable)
{
    public static Segment In(ulong address, uint length) => new(address, length, Writable: false);

    public static Segment Out(ulong address, uint length) => new(address, length, Writable: true);
}
