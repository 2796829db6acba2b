using System.Runtime.InteropServices;
using HyperNest.Kvm;
using HyperNest.Vmm.Network;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// An in-memory network backend for the virtio-net target: frames the peer sends wait in a queue for the device's
/// <see cref="Read"/>; what the device writes is kept whole, in order. Reused across runs (<see cref="Reset"/>).
/// </summary>
public sealed class MemoryNetworkBackend : INetworkBackend
{
    private static readonly EventFd Never = new(nonBlocking: true);

    private readonly Queue<byte[]> _incoming = new();

    public bool HasVnetHeader { get; private set; }

    public NetworkOffloads SupportedOffloads =>
        HasVnetHeader ? NetworkOffloads.Checksum | NetworkOffloads.Tso4 | NetworkOffloads.Tso6 | NetworkOffloads.TsoEcn | NetworkOffloads.Ufo : NetworkOffloads.None;

    /// <summary>Never readable: the target takes the device thread's receive turns itself.</summary>
    public SafeHandle ReadableHandle => Never.Handle;

    /// <summary>What the device wrote, a frame each, with the header when <see cref="HasVnetHeader"/>.</summary>
    public List<byte[]> Written { get; } = [];

    /// <summary>The backend refuses every write (a full TAP queue, a link down).</summary>
    public bool RefusesWrites { get; set; }

    public NetworkOffloads Offloads { get; private set; }

    public void Reset(bool hasVnetHeader)
    {
        HasVnetHeader = hasVnetHeader;
        RefusesWrites = false;
        Offloads = NetworkOffloads.None;
        _incoming.Clear();
        Written.Clear();
    }

    /// <summary>A frame from the peer (with its header when <see cref="HasVnetHeader"/>).</summary>
    public void Deliver(byte[] frame) => _incoming.Enqueue(frame);

    public bool SetOffloads(NetworkOffloads offloads)
    {
        Offloads = offloads;
        return (offloads & ~SupportedOffloads) == 0;
    }

    public int Read(Span<byte> frame)
    {
        if (!_incoming.TryDequeue(out byte[]? next))
        {
            return 0;
        }

        int length = Math.Min(next.Length, frame.Length);
        next.AsSpan(0, length).CopyTo(frame);
        return length;
    }

    public bool Write(scoped ref IoVectors frame)
    {
        if (RefusesWrites)
        {
            return false;
        }

        byte[] whole = new byte[frame.Length];
        int at = 0;
        for (int i = 0; i < frame.Count; i++)
        {
            frame[i].CopyTo(whole.AsSpan(at));
            at += frame[i].Length;
        }

        Written.Add(whole);
        return true;
    }
}
