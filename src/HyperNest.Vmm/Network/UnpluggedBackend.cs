using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Network;

/// <summary>
/// The backend of an adapter connected to nothing, where no TAP device could be made for it (no CAP_NET_ADMIN): the
/// guest sees a NIC with its link down, frames it sends are dropped, none ever arrive (Hyper-V's "Not connected").
/// </summary>
public sealed class UnpluggedBackend : INetworkBackend, IDisposable
{
    /// <summary>Never signalled: the device's poll on it never returns for it.</summary>
    private readonly EventFd _never = new(nonBlocking: true);

    public bool HasVnetHeader => false;

    public NetworkOffloads SupportedOffloads => NetworkOffloads.None;

    public SafeHandle ReadableHandle => _never.Handle;

    public bool SetOffloads(NetworkOffloads offloads) => offloads == NetworkOffloads.None;

    public int Read(Span<byte> frame) => 0;

    public bool Write(scoped ref IoVectors frame) => false;

    public void Dispose() => _never.Dispose();
}
