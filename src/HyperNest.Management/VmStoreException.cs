using HyperNest.Kvm;

namespace HyperNest.Management;

/// <summary>
/// The inventory on disk cannot be read or written: a corrupt or too-new config, an unwritable folder. The message
/// often quotes what a file holds (a VM's name, a MAC address, a path), which may be anything: it is kept one line of
/// printable text, each control character shown as '?'.
/// </summary>
public sealed class VmStoreException(string message) : ManagementException(ExceptionMessages.Printable(message));
