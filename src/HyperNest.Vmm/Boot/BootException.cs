namespace HyperNest.Vmm.Boot;

/// <summary>The kernel, initrd or command line cannot be booted; the message is one line naming the problem.</summary>
public sealed class BootException(string message) : Exception(message);
