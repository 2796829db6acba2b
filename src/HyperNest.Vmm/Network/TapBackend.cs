using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Network;

/// <summary>A virtio-net backend on a <see cref="TapDevice"/> it owns: the host side of a VM's adapter.</summary>
public sealed class TapBackend : INetworkBackend, IDisposable
{
    /// <summary>Each offload's name on both sides (virtio's GUEST_* features and TUN_F_*).</summary>
    private static readonly (NetworkOffloads Network, TapOffloads Tap)[] Names =
    [
        (NetworkOffloads.Checksum, TapOffloads.Checksum),
        (NetworkOffloads.Tso4, TapOffloads.Tso4),
        (NetworkOffloads.Tso6, TapOffloads.Tso6),
        (NetworkOffloads.TsoEcn, TapOffloads.TsoEcn),
        (NetworkOffloads.Ufo, TapOffloads.Ufo),
    ];

    private readonly TapDevice _tap;

    private TapBackend(TapDevice tap) => _tap = tap;

    /// <summary>The host interface's name.</summary>
    public string Name => _tap.Name;

    public bool HasVnetHeader => true;

    public NetworkOffloads SupportedOffloads => ToNetwork(_tap.SupportedOffloads);

    public SafeHandle ReadableHandle => _tap.Handle;

    /// <summary>Creates the TAP interface <paramref name="name"/>; throws <see cref="TapException"/> (one line) if it cannot.</summary>
    public static TapBackend Create(string name) => new(TapDevice.Create(name));

    public bool SetOffloads(NetworkOffloads offloads)
    {
        try
        {
            _tap.SetOffloads(ToTap(offloads & SupportedOffloads));
            return true;
        }
        catch (TapException)
        {
            return false;
        }
    }

    public int Read(Span<byte> frame)
    {
        try
        {
            return _tap.Read(frame);
        }
        catch (TapException)
        {
            return -1;
        }
    }

    public bool Write(scoped ref IoVectors frame) => _tap.Write(ref frame);

    public void Dispose() => _tap.Dispose();

    private static TapOffloads ToTap(NetworkOffloads offloads) =>
        Names.Where(pair => offloads.HasFlag(pair.Network)).Aggregate(TapOffloads.None, (all, pair) => all | pair.Tap);

    private static NetworkOffloads ToNetwork(TapOffloads offloads) =>
        Names.Where(pair => offloads.HasFlag(pair.Tap)).Aggregate(NetworkOffloads.None, (all, pair) => all | pair.Network);
}
