using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Devices;

/// <summary>A bus device that records every access and reads as a fixed byte.</summary>
internal sealed class RecordingDevice(byte readValue = 0xA5) : IBusDevice
{
    public List<(string Kind, ulong Offset, int Length)> Accesses { get; } = [];

    public void Read(ulong offset, Span<byte> data)
    {
        Accesses.Add(("read", offset, data.Length));
        data.Fill(readValue);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data) => Accesses.Add(("write", offset, data.Length));
}
