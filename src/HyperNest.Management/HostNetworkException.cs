namespace HyperNest.Management;

/// <summary>
/// A change to the host's network failed: an <c>ip</c> command refused (the message names the command and its
/// complaint), or a file under /proc/sys/net could not be written. What the operation did before is undone.
/// </summary>
public sealed class HostNetworkException(string message) : ManagementException(message);
