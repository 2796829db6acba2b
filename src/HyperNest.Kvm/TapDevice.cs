using System.Runtime.InteropServices;
using System.Text;

namespace HyperNest.Kvm;

/// <summary>
/// A Linux TAP interface (Documentation/networking/tuntap.rst): Ethernet frames written here leave through the
/// interface into the host's stack, and frames the host sends to the interface are read here. Created with
/// IFF_TAP | IFF_NO_PI | IFF_VNET_HDR and never made persistent, so the kernel deletes the interface when the
/// descriptor closes — on <see cref="Dispose"/>, or when the process dies, even by SIGKILL. Every frame, in both
/// directions, starts with a <see cref="VnetHeaderSize"/>-byte virtio_net_hdr_v1 (virtio 1.2 §5.1.6), the header
/// virtio-net itself uses, so a guest's checksum and segmentation offloads pass through unchanged. The descriptor is
/// non-blocking: wait for frames with <see cref="FdPoll"/> on <see cref="Handle"/>.
/// </summary>
public sealed unsafe class TapDevice : IDisposable
{
    /// <summary>IFNAMSIZ - 1: the longest interface name Linux accepts.</summary>
    public const int MaxNameLength = InterfaceRequest.NameSize - 1;

    /// <summary>sizeof(struct virtio_net_hdr_v1): virtio_net_hdr and num_buffers (TUNSETVNETHDRSZ).</summary>
    public const int VnetHeaderSize = 12;

    /// <summary>
    /// The largest frame a read returns, header included: a 64 KiB GSO packet (IP total length 65535) with an
    /// Ethernet and a VLAN header. A buffer this long never truncates a frame.
    /// </summary>
    public const int MaxFrameLength = VnetHeaderSize + 14 + 4 + 65535;

    private const string ClonePath = "/dev/net/tun";

    // include/uapi/linux/if_tun.h: _IOW/_IOR('T', nr, int or unsigned int).
    private const nuint TunSetInterface = 0x4004_54CA;
    private const nuint TunSetOffload = 0x4004_54D0;
    private const nuint TunGetInterface = 0x8004_54D2;
    private const nuint TunSetVnetHeaderSize = 0x4004_54D8;

    // TUNSETIFF flags.
    private const short IffTap = 0x0002, IffNoPi = 0x1000, IffVnetHeader = 0x4000, IffPersist = 0x0800;

    private TapDevice(string name, FileDescriptorHandle handle, TapOffloads supported)
    {
        Name = name;
        Handle = handle;
        SupportedOffloads = supported;
    }

    public string Name { get; }

    /// <summary>The TAP descriptor, readable (POLLIN) when a frame waits.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>What <see cref="SetOffloads"/> accepts on this kernel (UFO is absent from some).</summary>
    public TapOffloads SupportedOffloads { get; }

    /// <summary>
    /// Creates the interface <paramref name="name"/> (down; bring it up with <c>ip link set NAME up</c>). Throws
    /// <see cref="TapException"/> for a bad name, a missing tun module, missing CAP_NET_ADMIN, or a name another
    /// interface holds.
    /// </summary>
    public static TapDevice Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new TapException(name, $"TAP device name '{name}' is not valid: 1 to {MaxNameLength} ASCII characters, no '/', ':' or space, not '.' or '..'");
        }

        int fd = Interop.Open(ClonePath, Interop.O_RDWR | Interop.O_NONBLOCK | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapException(name, errno switch
            {
                Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => $"{ClonePath} does not exist (load the tun module: modprobe tun)",
                Errno.EACCES or Errno.EPERM => $"cannot create TAP device '{name}': {ClonePath}: permission denied (needs CAP_NET_ADMIN)",
                _ => $"cannot create TAP device '{name}': {ClonePath}: {Errno.Describe(errno)}",
            }, errno);
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            Attach(handle, name);
            int headerSize = VnetHeaderSize;
            Ioctl(handle, name, "TUNSETVNETHDRSZ", TunSetVnetHeaderSize, &headerSize);
            return new TapDevice(name, handle, ProbeOffloads(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// TUNSETOFFLOAD: which offloads frames read from here may carry, as the guest negotiated them (its GUEST_CSUM,
    /// GUEST_TSO4/6, GUEST_ECN, GUEST_UFO). Throws <see cref="TapException"/> for a set the kernel refuses.
    /// </summary>
    public void SetOffloads(TapOffloads offloads)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (Interop.Ioctl(Handle.Fd, TunSetOffload, (nuint)offloads) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapException(Name, $"TAP device '{Name}': TUNSETOFFLOAD {offloads} failed: {Errno.Describe(errno)}", errno);
        }
    }

    /// <summary>
    /// Reads one frame (header first) into <paramref name="buffer"/>, which should hold <see cref="MaxFrameLength"/>
    /// bytes. Returns its length, or 0 when no frame waits. Throws <see cref="TapException"/> if the device failed
    /// (its interface was deleted under it).
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        while (true)
        {
            nint read;
            fixed (byte* pointer = buffer)
            {
                read = Interop.Read(Handle.Fd, pointer, (nuint)buffer.Length);
            }

            if (read >= 0)
            {
                return (int)read;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
            {
                return 0;
            }

            if (errno != Errno.EINTR)
            {
                throw new TapException(Name, $"TAP device '{Name}': read failed: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <summary>Writes one frame (header first); false if the kernel dropped it (interface down, bad header, no room).</summary>
    public bool Write(ReadOnlySpan<byte> frame)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        fixed (byte* pointer = frame)
        {
            return Completed(Interop.Write(Handle.Fd, pointer, (nuint)frame.Length));
        }
    }

    /// <summary>Writes one frame gathered from <paramref name="frame"/>'s ranges (header first), as <see cref="Write(ReadOnlySpan{byte})"/>.</summary>
    public bool Write(scoped ref IoVectors frame)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        return Completed(frame.WriteTo(Handle.Fd));
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>Linux's dev_valid_name, kept to ASCII so the name fits IFNAMSIZ bytes.</summary>
    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && name is not "." and not ".."
        && Ascii.IsValid(name)
        && !name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c));

    private static void Attach(FileDescriptorHandle handle, string name)
    {
        InterfaceRequest request = default;
        Encoding.ASCII.GetBytes(name, new Span<byte>(request.Name, InterfaceRequest.NameSize));
        request.Flags = IffTap | IffNoPi | IffVnetHeader;
        if (Interop.Ioctl(handle.Fd, TunSetInterface, &request) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapException(name, errno switch
            {
                Errno.EPERM or Errno.EACCES => $"cannot create TAP device '{name}': permission denied (needs CAP_NET_ADMIN)",
                Errno.EBUSY => $"cannot create TAP device '{name}': it exists and another process has it open",
                Errno.EINVAL => $"cannot create TAP device '{name}': a network interface that is not a TAP has that name",
                _ => $"cannot create TAP device '{name}': {Errno.Describe(errno)}",
            }, errno);
        }

        // An existing persistent TAP of that name is attached rather than created, and would outlive the VM.
        InterfaceRequest attached = default;
        Ioctl(handle, name, "TUNGETIFF", TunGetInterface, &attached);
        if ((attached.Flags & IffPersist) != 0)
        {
            throw new TapException(name, $"cannot use TAP device '{name}': a persistent TAP of that name exists and would outlive the VM (delete it: ip tuntap del {name} mode tap)");
        }
    }

    /// <summary>Everything, else everything but UFO (removed from some kernels), else checksums alone.</summary>
    private static TapOffloads ProbeOffloads(FileDescriptorHandle handle)
    {
        TapOffloads[] candidates =
        [
            TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6 | TapOffloads.TsoEcn | TapOffloads.Ufo,
            TapOffloads.Checksum | TapOffloads.Tso4 | TapOffloads.Tso6 | TapOffloads.TsoEcn,
            TapOffloads.Checksum,
        ];
        TapOffloads supported = TapOffloads.None;
        foreach (TapOffloads candidate in candidates)
        {
            if (Interop.Ioctl(handle.Fd, TunSetOffload, (nuint)candidate) == 0)
            {
                supported = candidate;
                break;
            }
        }

        // Nothing is offloaded to a guest before it negotiates.
        _ = Interop.Ioctl(handle.Fd, TunSetOffload, (nuint)TapOffloads.None);
        return supported;
    }

    private static void Ioctl(FileDescriptorHandle handle, string name, string call, nuint request, void* argument)
    {
        if (Interop.Ioctl(handle.Fd, request, argument) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new TapException(name, $"cannot set up TAP device '{name}': {call} failed: {Errno.Describe(errno)}", errno);
        }
    }

    /// <summary>A frame goes whole or not at all; a failed write drops it, as a full NIC queue would.</summary>
    private static bool Completed(nint written) => written >= 0;
}
