using Microsoft.Win32.SafeHandles;

namespace HyperNest.Kvm;

/// <summary>An owned Linux file descriptor (KVM system, VM and vCPU fds, eventfds).</summary>
public sealed class FileDescriptorHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FileDescriptorHandle()
        : base(ownsHandle: true)
    {
    }

    internal FileDescriptorHandle(int fd)
        : base(ownsHandle: true)
    {
        SetHandle(fd);
    }

    /// <summary>The raw descriptor, for the interop layer only.</summary>
    internal int Fd => (int)handle;

    // fd 0 is valid in principle, but KVM fds are never 0 in a process that has stdin open.
    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}
