using HyperNest.Vmm.Network;

namespace HyperNest.Vmm;

/// <summary>
/// A network adapter attached as virtio-net. <paramref name="MacAddress"/> is 6 bytes of unicast address.
/// <paramref name="Backend"/> (a <see cref="TapBackend"/>) is created and owned by the caller, which disposes it
/// after the VM; <see cref="VirtualMachine.Check"/> does not need it, <see cref="VirtualMachine.Create"/> does.
/// <paramref name="Port"/>, when given, vets every frame the guest sends and sees every frame it receives.
/// </summary>
public sealed record NetworkAdapterConfig(string Name, ReadOnlyMemory<byte> MacAddress, INetworkBackend? Backend = null, SwitchPort? Port = null)
{
    /// <summary>False for an adapter connected to no switch: the guest sees its link down until it is connected.</summary>
    public bool LinkUp { get; init; } = true;

    public const int MacAddressLength = 6;

    /// <summary>The MAC address as Hyper-V shows it: 00155D0A0B0C.</summary>
    public string MacAddressText => Convert.ToHexString(MacAddress.Span);

    /// <summary>Why this adapter cannot be attached, in one line; null when it can.</summary>
    internal string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "a network adapter has no name";
        }

        if (MacAddress.Length != MacAddressLength)
        {
            return $"network adapter '{Name}': a MAC address is {MacAddressLength} bytes, not {MacAddress.Length}";
        }

        return (MacAddress.Span[0] & 1) != 0
            ? $"network adapter '{Name}': MAC address {MacAddressText} is a multicast address (its first byte is odd)"
            : null;
    }
}
