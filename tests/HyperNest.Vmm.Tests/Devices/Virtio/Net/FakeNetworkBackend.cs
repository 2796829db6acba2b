using System.Runtime.InteropServices;
using HyperNest.Kvm;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// An in-memory backend: frames queued with <see cref="Deliver"/> are what the device reads (an eventfd is readable
/// while any wait, as a TAP's descriptor is), and what the device writes is recorded whole in <see cref="Written"/>.
/// </summary>
internal sealed class FakeNetworkBackend(bool hasVnetHeader, NetworkOffloads supported = FakeNetworkBackend.AllOffloads) : INetworkBackend, IDisposable
{
    public const NetworkOffloads AllOffloads =
        NetworkOffloads.Checksum | NetworkOffloads.Tso4 | NetworkOffloads.Tso6 | NetworkOffloads.TsoEcn | NetworkOffloads.Ufo;

    private readonly EventFd _readable = new(nonBlocking: true);
    private readonly Queue<byte[]> _incoming = new();
    private readonly List<byte[]> _written = [];
    private int _reads;

    public bool HasVnetHeader => hasVnetHeader;

    public NetworkOffloads SupportedOffloads => hasVnetHeader ? supported : NetworkOffloads.None;

    public SafeHandle ReadableHandle => _readable.Handle;

    public NetworkOffloads Offloads { get; private set; } = (NetworkOffloads)(-1);

    /// <summary>How often the device called <see cref="Read"/>: a device that spins calls it without end.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public int Waiting
    {
        get
        {
            lock (_incoming)
            {
                return _incoming.Count;
            }
        }
    }

    public IReadOnlyList<byte[]> Written
    {
        get
        {
            lock (_written)
            {
                return [.. _written];
            }
        }
    }

    public bool Failed { get; set; }

    public void Deliver(params byte[][] frames)
    {
        lock (_incoming)
        {
            foreach (byte[] frame in frames)
            {
                _incoming.Enqueue(frame);
            }

            _readable.Signal();
        }
    }

    public bool SetOffloads(NetworkOffloads offloads)
    {
        Offloads = offloads;
        return true;
    }

    public int Read(Span<byte> frame)
    {
        Interlocked.Increment(ref _reads);
        lock (_incoming)
        {
            if (Failed)
            {
                return -1;
            }

            if (!_incoming.TryDequeue(out byte[]? next))
            {
                return 0;
            }

            if (_incoming.Count == 0)
            {
                _readable.Wait();
            }

            next.CopyTo(frame);
            return next.Length;
        }
    }

    public bool Write(scoped ref IoVectors frame)
    {
        var whole = new List<byte>();
        for (int i = 0; i < frame.Count; i++)
        {
            whole.AddRange(frame[i]);
        }

        lock (_written)
        {
            _written.Add([.. whole]);
        }

        return true;
    }

    public void Dispose() => _readable.Dispose();
}
