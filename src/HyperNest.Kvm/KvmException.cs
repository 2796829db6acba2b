namespace HyperNest.Kvm;

/// <summary>A KVM or host-kernel call failed: carries the call's name and errno.</summary>
public sealed class KvmException : Exception
{
    public KvmException(string call, int errno)
        : base($"{call} failed: {HyperNest.Kvm.Errno.Describe(errno)}")
    {
        Call = call;
        Errno = errno;
    }

    public KvmException(string call, string message)
        : base($"{call}: {message}")
    {
        Call = call;
    }

    public string Call { get; }

    public int Errno { get; }

    internal static KvmException FromLastError(string call) => new(call, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
}
