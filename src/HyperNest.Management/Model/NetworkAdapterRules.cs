namespace HyperNest.Management.Model;

/// <summary>Set-VMNetworkAdapter's rules: one kind of MAC address at a time, no address used twice on this host.</summary>
public static class NetworkAdapterRules
{
    /// <summary>
    /// Applies <paramref name="changes"/>; <paramref name="usedMacs"/> are every other adapter's addresses in the store,
    /// <paramref name="pool"/> the host's dynamic range (<see cref="MacAddressPool.Default"/> when null).
    /// </summary>
    public static VmNetworkAdapter Apply(VmNetworkAdapter adapter, NetworkAdapterChanges changes, IReadOnlySet<string> usedMacs, MacAddressPool? pool = null)
    {
        if (changes.StaticMacAddress is not null && changes.DynamicMacAddress)
        {
            throw new VmValidationException("The network adapter cannot use both a static and dynamic MAC address.");
        }

        if (changes.SwitchName is not null && changes.Disconnect)
        {
            throw new VmValidationException("The network adapter cannot be connected to a switch and disconnected at once.");
        }

        VmNetworkAdapter next = adapter;
        if (changes.StaticMacAddress is not null)
        {
            string mac = MacAddress.Normalize(changes.StaticMacAddress);
            if (usedMacs.Contains(mac))
            {
                throw new VmValidationException($"The MAC address {mac} is already in use by another network adapter on this host.");
            }

            next = next with { MacAddress = mac, DynamicMacAddressEnabled = false };
        }
        else if (changes.DynamicMacAddress && !adapter.DynamicMacAddressEnabled)
        {
            next = next with { MacAddress = (pool ?? MacAddressPool.Default).NewDynamic(usedMacs), DynamicMacAddressEnabled = true };
        }

        return next with
        {
            MacAddressSpoofing = changes.MacAddressSpoofing ?? next.MacAddressSpoofing,
            SwitchName = changes.Disconnect ? null : changes.SwitchName ?? next.SwitchName,
        };
    }
}
