namespace HyperNest.Vmm.Devices;

/// <summary>A device's claim on a bus: [Start, Start + Length).</summary>
public readonly record struct BusRange(ulong Start, ulong Length, IBusDevice Device);
