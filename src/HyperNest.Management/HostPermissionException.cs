namespace HyperNest.Management;

/// <summary>
/// The operation needs a permission this process lacks: CAP_NET_ADMIN for the host's network, or access to a store
/// (the message names the path and who may use it). Front ends show the message as one line.
/// </summary>
public sealed class HostPermissionException(string message, HostPermission needed) : ManagementException(message)
{
    public HostPermission Needed { get; } = needed;
}
