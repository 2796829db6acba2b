using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Devices;

/// <summary>An interrupt line that counts the edges a device signals.</summary>
internal sealed class RecordingInterruptLine(uint gsi = 4) : IInterruptLine
{
    public uint Gsi { get; } = gsi;

    public int Edges { get; private set; }

    public void Trigger() => Edges++;
}
