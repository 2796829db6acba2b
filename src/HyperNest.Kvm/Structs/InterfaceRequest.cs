using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// struct ifreq (include/uapi/linux/if.h) as TUNSETIFF and TUNGETIFF use it: the interface name (IFNAMSIZ = 16,
/// NUL-terminated) and, in the union after it, ifr_flags. The union makes the struct 40 bytes on x86-64.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 40)]
internal unsafe struct InterfaceRequest
{
    public const int NameSize = 16;

    public fixed byte Name[NameSize];
    public short Flags;
}
