using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>The KVM subsystem: an open /dev/kvm (api.rst §4, "system ioctls").</summary>
public sealed unsafe class KvmSystem : IDisposable
{
    public const string DefaultDevicePath = "/dev/kvm";

    /// <summary>The KVM device: /dev/kvm, or $HYPERNEST_KVM_DEVICE (lets tests and odd hosts point elsewhere).</summary>
    public static string DevicePath => Environment.GetEnvironmentVariable("HYPERNEST_KVM_DEVICE") is { Length: > 0 } path
        ? path
        : DefaultDevicePath;

    /// <summary>KVM_GET_API_VERSION must return 12 on every kernel HyperNest supports (api.rst §4.1).</summary>
    public const int ExpectedApiVersion = 12;

    private readonly FileDescriptorHandle _fd;

    private KvmSystem(FileDescriptorHandle fd) => _fd = fd;

    /// <summary>Opens /dev/kvm; throws <see cref="KvmException"/> with errno ENOENT/EACCES when absent/denied.</summary>
    public static KvmSystem Open(string? path = null)
    {
        path ??= DevicePath;
        int fd = Interop.Open(path, Interop.O_RDWR | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            throw KvmException.FromLastError($"open {path}");
        }

        var kvm = new KvmSystem(new FileDescriptorHandle(fd));
        int version = kvm.ApiVersion;
        if (version != ExpectedApiVersion)
        {
            kvm.Dispose();
            throw new KvmException("KVM_GET_API_VERSION", $"KVM API version {version}, HyperNest needs {ExpectedApiVersion}");
        }

        return kvm;
    }

    public int ApiVersion => Check(Interop.Ioctl(Fd, KvmIoctl.GetApiVersion, 0), "KVM_GET_API_VERSION");

    /// <summary>KVM_CHECK_EXTENSION: 0 when unsupported, otherwise a capability-specific value (often 1).</summary>
    public int CheckExtension(KvmCapability capability) =>
        Math.Max(0, Interop.Ioctl(Fd, KvmIoctl.CheckExtension, (nuint)capability));

    public int VcpuMmapSize => Check(Interop.Ioctl(Fd, KvmIoctl.GetVcpuMmapSize, 0), "KVM_GET_VCPU_MMAP_SIZE");

    /// <summary>The most vCPUs one VM may have (KVM_CAP_MAX_VCPUS, falling back to NR_VCPUS, then 4).</summary>
    public int MaxVcpus
    {
        get
        {
            int max = CheckExtension(KvmCapability.MaxVcpus);
            if (max > 0)
            {
                return max;
            }

            int recommended = CheckExtension(KvmCapability.NrVcpus);
            return recommended > 0 ? recommended : 4;
        }
    }

    /// <summary>KVM_GET_SUPPORTED_CPUID (api.rst §4.46): the CPUID bits KVM can give a guest.</summary>
    public CpuidTable GetSupportedCpuid() => ReadCpuid(Fd, KvmIoctl.GetSupportedCpuid, "KVM_GET_SUPPORTED_CPUID");

    /// <summary>
    /// A struct kvm_cpuid2 ioctl that answers E2BIG while the buffer is too small (KVM_GET_SUPPORTED_CPUID,
    /// KVM_GET_CPUID2): asked again with twice the room, up to 4096 entries.
    /// </summary>
    internal static CpuidTable ReadCpuid(int fd, nuint request, string name)
    {
        for (int capacity = 64; capacity <= 4096; capacity *= 2)
        {
            int bytes = 8 + (capacity * sizeof(KvmCpuidEntry2));
            byte* buffer = (byte*)NativeMemory.AllocZeroed((nuint)bytes);
            try
            {
                *(uint*)buffer = (uint)capacity;
                if (Interop.Ioctl(fd, request, buffer) == 0)
                {
                    int count = (int)*(uint*)buffer;
                    return new CpuidTable(new ReadOnlySpan<KvmCpuidEntry2>(buffer + 8, count).ToArray());
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.E2BIG)
                {
                    throw new KvmException(name, errno);
                }
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        throw new KvmException(name, "more than 4096 entries");
    }

    /// <summary>
    /// KVM_GET_MSR_INDEX_LIST (api.rst §4.3): the MSRs KVM saves and restores for a guest. The list "varies by kvm
    /// version and host processor, but does not change otherwise"; MCE bank MSRs are not in it.
    /// </summary>
    public uint[] GetMsrIndexList()
    {
        uint capacity = 256;
        while (true)
        {
            uint[] buffer = new uint[capacity + 1];
            buffer[0] = capacity;
            fixed (uint* list = buffer)
            {
                if (Interop.Ioctl(Fd, KvmIoctl.GetMsrIndexList, list) == 0)
                {
                    return buffer.AsSpan(1, (int)list[0]).ToArray();
                }

                int errno = Marshal.GetLastPInvokeError();
                // E2BIG: nmsrs now holds the count KVM needs.
                if (errno != Errno.E2BIG || list[0] <= capacity)
                {
                    throw new KvmException("KVM_GET_MSR_INDEX_LIST", errno);
                }

                capacity = list[0];
            }
        }
    }

    public KvmVm CreateVm()
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        int fd;
        // KVM_CREATE_VM may fail with EINTR while the kernel sets the VM up; retry as the documentation allows.
        do
        {
            fd = Interop.Ioctl(Fd, KvmIoctl.CreateVm, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (fd < 0)
        {
            throw KvmException.FromLastError("KVM_CREATE_VM");
        }

        return new KvmVm(new FileDescriptorHandle(fd), VcpuMmapSize, this);
    }

    public void Dispose() => _fd.Dispose();

    private int Fd
    {
        get
        {
            ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
            return _fd.Fd;
        }
    }

    internal static int Check(int result, string call) => result < 0 ? throw KvmException.FromLastError(call) : result;
}
