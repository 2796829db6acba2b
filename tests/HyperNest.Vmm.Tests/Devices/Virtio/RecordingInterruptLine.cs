using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>An interrupt line that counts its edges.</summary>
internal sealed class RecordingInterruptLine(uint gsi = 5) : IInterruptLine
{
    private int _count;

    public uint Gsi => gsi;

    public int Count => Volatile.Read(ref _count);

    public void Trigger() => Interlocked.Increment(ref _count);
}
