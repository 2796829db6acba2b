namespace HyperNest.Kvm;

/// <summary>A TAP device could not be created or set up; the message is one line in the user's words.</summary>
public sealed class TapException : Exception
{
    public TapException(string interfaceName, string message, int errno = 0)
        : base(message)
    {
        InterfaceName = interfaceName;
        Errno = errno;
    }

    public string InterfaceName { get; }

    /// <summary>The errno of the call that failed; 0 when no call did (a bad name).</summary>
    public int Errno { get; }
}
