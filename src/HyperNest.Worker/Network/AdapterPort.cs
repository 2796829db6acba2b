using HyperNest.Management.Worker;
using HyperNest.Vmm.Network;

namespace HyperNest.Worker.Network;

/// <summary>
/// One adapter of a running VM on this host: its switch port (MAC address spoofing, counters, learned addresses), the
/// TAP device that is its end of the switch, and where that TAP is plugged in now.
/// </summary>
internal sealed class AdapterPort(string name, string macAddress, SwitchPort port, TapBackend? tap) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>12 hex digits.</summary>
    public string MacAddress { get; } = macAddress;

    public SwitchPort Port { get; } = port;

    /// <summary>Null for an adapter that started disconnected where no TAP device could be made (no CAP_NET_ADMIN).</summary>
    public TapBackend? Tap { get; } = tap;

    /// <summary>What the VM's virtio-net device sends into: the TAP, or nothing at all.</summary>
    public INetworkBackend Backend { get; } = (INetworkBackend?)tap ?? new UnpluggedBackend();

    public string? SwitchName { get; set; }

    /// <summary>The Linux bridge the TAP is on; null when disconnected.</summary>
    public string? Bridge { get; set; }

    public NetworkAdapterStatus Status()
    {
        SwitchPortCounters counters = Port.Counters;
        IReadOnlyList<LearnedAddress> learned = Port.LearnedAddresses;
        return new NetworkAdapterStatus
        {
            Name = Name,
            MacAddress = MacAddress,
            SwitchName = SwitchName,
            HostInterface = Bridge is null ? null : Tap?.Name,
            MacAddressSpoofing = Port.MacAddressSpoofing,
            IPAddresses = [.. learned
                .Where(a => a.MacAddress == MacAddress)
                .OrderBy(a => a.IPAddress.AddressFamily)
                .Select(a => a.IPAddress.ToString())
                .Distinct()],
            LearnedAddresses = [.. learned.Select(a => new LearnedAddressStatus(a.MacAddress, a.IPAddress.ToString(), a.Source.ToString()))],
            TransmittedFrames = counters.TransmittedFrames,
            TransmittedBytes = counters.TransmittedBytes,
            ReceivedFrames = counters.ReceivedFrames,
            ReceivedBytes = counters.ReceivedBytes,
            DroppedSpoofedFrames = counters.DroppedSpoofedFrames,
            DroppedMalformedFrames = counters.DroppedMalformedFrames,
        };
    }

    /// <summary>The adapter as the VM is built with it: the guest's link is up while the TAP is on a bridge.</summary>
    public Vmm.NetworkAdapterConfig ToVmConfig() =>
        new(Name, Convert.FromHexString(MacAddress), Backend, Port) { LinkUp = Bridge is not null };

    public void Dispose() => ((IDisposable)Backend).Dispose();
}
