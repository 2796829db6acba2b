using HyperNest.Vmm.Devices;

namespace HyperNest.Fuzz;

/// <summary>An interrupt line nobody listens to.</summary>
public sealed class NoInterrupt : IInterruptLine
{
    public uint Gsi => 4;

    public void Trigger()
    {
    }
}
