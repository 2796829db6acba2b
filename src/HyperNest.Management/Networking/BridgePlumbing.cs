namespace HyperNest.Management.Networking;

/// <summary>
/// What each kind of switch is on the host. Private: the bridge up, no host addresses, IPv6 off. Internal: the bridge
/// up, the host may address it. External: the NIC a port of the bridge, the bridge with the NIC's MAC; with
/// AllowManagementOS the NIC's addresses and routes move to the bridge, without it they leave the host (and are kept
/// in the record to give back).
/// </summary>
internal sealed class BridgePlumbing(IHostNetwork host)
{
    /// <summary>Makes the switch's bridge; returns the record with the NIC's IP configuration (External). Nothing stays on failure.</summary>
    public VirtualSwitch Create(VirtualSwitch record)
    {
        if (host.GetLink(record.BridgeName) is not null)
        {
            throw new HostNetworkException($"an interface named {record.BridgeName} already exists on this host");
        }

        var undo = new UndoLog();
        try
        {
            undo.Do(() => host.AddBridge(record.BridgeName), () => host.DeleteLink(record.BridgeName));
            host.SetAlias(record.BridgeName, VirtualSwitch.ManagementOSAdapterName(record.Name));
            SetHostAccess(record);
            if (record.SwitchType == VirtualSwitchType.External)
            {
                // Before the bridge goes up: it then answers with the address the NIC's neighbours know.
                host.SetMacAddress(record.BridgeName, NetAdapter(record).MacAddress);
            }

            host.SetUp(record.BridgeName, true);
            return record.SwitchType == VirtualSwitchType.External ? TakeNetAdapter(record) : record;
        }
        catch (ManagementException)
        {
            undo.Rollback();
            throw;
        }
    }

    /// <summary>Gives an External switch's NIC back (with its addresses and routes) and deletes the bridge.</summary>
    public void Delete(VirtualSwitch record)
    {
        if (record.SwitchType == VirtualSwitchType.External)
        {
            ReleaseNetAdapter(record);
        }

        if (host.GetLink(record.BridgeName) is not null)
        {
            host.DeleteLink(record.BridgeName);
        }
    }

    /// <summary>
    /// Set-VMSwitch on an existing bridge: the NIC let go or taken (or both, for another NIC or another
    /// AllowManagementOS), the host's access as the new type wants. On failure the old NIC is taken back.
    /// </summary>
    public VirtualSwitch Reconfigure(VirtualSwitch old, VirtualSwitch next)
    {
        bool releases = old.SwitchType == VirtualSwitchType.External && (next.SwitchType != VirtualSwitchType.External
            || next.NetAdapterName != old.NetAdapterName || next.AllowManagementOS != old.AllowManagementOS);
        bool takes = next.SwitchType == VirtualSwitchType.External && (old.SwitchType != VirtualSwitchType.External || releases);
        if (releases)
        {
            ReleaseNetAdapter(old);
        }

        try
        {
            SetHostAccess(next);
            if (takes)
            {
                host.SetMacAddress(next.BridgeName, NetAdapter(next).MacAddress);
                return TakeNetAdapter(next);
            }

            return next with { NetAdapterIpConfiguration = next.SwitchType == VirtualSwitchType.External ? old.NetAdapterIpConfiguration : null };
        }
        catch (ManagementException) when (releases)
        {
            try
            {
                SetHostAccess(old);
                TakeNetAdapter(old);
            }
            catch (ManagementException)
            {
                // Best effort: the original failure is reported.
            }

            throw;
        }
    }

    /// <summary>Makes <paramref name="interfaceName"/> (a VM's TAP) a port of the bridge, up, without host addresses.</summary>
    public void Attach(string bridgeName, string interfaceName)
    {
        host.SetIpv6Disabled(interfaceName, true);
        host.SetMaster(interfaceName, bridgeName);
        host.SetUp(interfaceName, true);
    }

    /// <summary>A bridge the host does not take part in holds no host address and no IPv6 (so no link-local address either).</summary>
    private void SetHostAccess(VirtualSwitch record)
    {
        if (!record.AllowManagementOS)
        {
            host.RemoveIpConfiguration(record.BridgeName, host.GetIpConfiguration(record.BridgeName));
        }

        host.SetIpv6Disabled(record.BridgeName, !record.AllowManagementOS);
    }

    private VirtualSwitch TakeNetAdapter(VirtualSwitch record)
    {
        NetworkLink nic = NetAdapter(record);
        IpConfiguration ip = host.GetIpConfiguration(nic.Name);
        var undo = new UndoLog();
        try
        {
            undo.Do(() => host.SetMaster(nic.Name, record.BridgeName), () => host.SetMaster(nic.Name, null));
            if (!nic.IsUp)
            {
                undo.Do(() => host.SetUp(nic.Name, true), () => host.SetUp(nic.Name, false));
            }

            undo.Do(() => host.RemoveIpConfiguration(nic.Name, ip), () => host.AddIpConfiguration(nic.Name, ip));
            if (record.AllowManagementOS)
            {
                undo.Do(() => host.AddIpConfiguration(record.BridgeName, ip), () => host.RemoveIpConfiguration(record.BridgeName, ip));
            }

            return record with { NetAdapterIpConfiguration = ip };
        }
        catch (ManagementException)
        {
            undo.Rollback();
            throw;
        }
    }

    /// <summary>
    /// The NIC out of the bridge, with the addresses and routes the bridge holds for it (AllowManagementOS: what is
    /// on the bridge now, DHCP renewals included), else those it had when the switch took it.
    /// </summary>
    private void ReleaseNetAdapter(VirtualSwitch record)
    {
        bool bridgeExists = host.GetLink(record.BridgeName) is not null;
        IpConfiguration ip = record.AllowManagementOS && bridgeExists
            ? host.GetIpConfiguration(record.BridgeName)
            : record.NetAdapterIpConfiguration ?? IpConfiguration.None;
        if (bridgeExists)
        {
            // First off the bridge: the same default route on two interfaces would be refused ("File exists").
            host.RemoveIpConfiguration(record.BridgeName, ip);
        }

        if (record.NetAdapterName is { } name && host.GetLink(name) is { } nic)
        {
            if (nic.Master == record.BridgeName)
            {
                host.SetMaster(name, null);
            }

            host.AddIpConfiguration(name, ip);
        }
    }

    private NetworkLink NetAdapter(VirtualSwitch record) =>
        host.GetLink(record.NetAdapterName!) ?? throw NetAdapterNotFound(record.NetAdapterName!);

    public static VmValidationException NetAdapterNotFound(string name) => new($"The network adapter '{name}' was not found on this host.");
}
