namespace HyperNest.Management;

/// <summary>What a <see cref="HostPermissionException"/> says this process lacks.</summary>
public enum HostPermission
{
    /// <summary>CAP_NET_ADMIN, for the host's network (bridges, TAP devices).</summary>
    NetAdmin,

    /// <summary>Access to a store, its VMs' files or their workers' sockets (docs/architecture.md, "Access").</summary>
    Store,
}
