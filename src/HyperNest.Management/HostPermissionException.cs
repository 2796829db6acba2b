namespace HyperNest.Management;

/// <summary>The operation needs a privilege this process lacks (CAP_NET_ADMIN for the host's network).</summary>
public sealed class HostPermissionException(string message) : ManagementException(message);
