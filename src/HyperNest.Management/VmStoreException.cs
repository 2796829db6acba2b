namespace HyperNest.Management;

/// <summary>The inventory on disk cannot be read or written: a corrupt or too-new config, an unwritable folder.</summary>
public sealed class VmStoreException(string message) : ManagementException(message);
