namespace HyperNest.Vmm.Devices;

/// <summary>
/// A device on the PIO or MMIO bus. <c>offset</c> is relative to the start of the range the device
/// registered; <c>data.Length</c> is the access width (1, 2, 4 or 8). Devices never know about vCPUs, and must not
/// throw for any guest access: an access they do not implement reads as all-ones and writes are ignored.
/// Calls may come from any vCPU thread; a device with mutable state serialises them itself.
/// </summary>
public interface IBusDevice
{
    void Read(ulong offset, Span<byte> data);

    void Write(ulong offset, ReadOnlySpan<byte> data);
}
