using System.Buffers.Binary;
using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// The <see cref="CountingGuest"/>'s three ports: 0x3E0 takes the count, 0x3E4 answers reads with 0x1000 + the
/// number of reads so far, 0x3E8 takes the echo of that answer. Every access is recorded in order; <see cref="OnEvent"/>
/// runs on the vCPU thread after each one (a test pauses the vCPU from there at an exact point).
/// </summary>
internal sealed class GuestPorts : IBusDevice
{
    public const ulong Base = 0x3E0;
    public const ulong Length = 12;
    public const uint FirstAnswer = 0x1000;

    private readonly List<(string Port, uint Value)> _events = [];
    private uint _reads;

    public Action<string, uint>? OnEvent { get; set; }

    public IReadOnlyList<(string Port, uint Value)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Read(ulong offset, Span<byte> data)
    {
        if (offset != 4 || data.Length != 4)
        {
            data.Fill(0xFF);
            return;
        }

        uint answer = FirstAnswer + ++_reads;
        BinaryPrimitives.WriteUInt32LittleEndian(data, answer);
        Record("in", answer);
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        if (data.Length == 4 && offset is 0 or 8)
        {
            Record(offset == 0 ? "count" : "echo", BinaryPrimitives.ReadUInt32LittleEndian(data));
        }
    }

    private void Record(string port, uint value)
    {
        lock (_events)
        {
            _events.Add((port, value));
        }

        OnEvent?.Invoke(port, value);
    }
}
