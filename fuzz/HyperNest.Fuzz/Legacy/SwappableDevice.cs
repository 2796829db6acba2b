using HyperNest.Vmm.Devices;

namespace HyperNest.Fuzz.Legacy;

/// <summary>A bus slot whose device can be replaced mid-run (by the one a restore built).</summary>
internal sealed class SwappableDevice(IBusDevice device) : IBusDevice
{
    public IBusDevice Device { get; set; } = device;

    public void Read(ulong offset, Span<byte> data) => Device.Read(offset, data);

    public void Write(ulong offset, ReadOnlySpan<byte> data) => Device.Write(offset, data);
}
