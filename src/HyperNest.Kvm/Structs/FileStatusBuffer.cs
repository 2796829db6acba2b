using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// struct stat (asm/stat.h) on x86-64, 144 bytes, of which HyperNest reads st_mode (offset 24), st_uid (28) and
/// st_gid (32).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct FileStatusBuffer
{
    [FieldOffset(24)]
    public uint Mode;

    [FieldOffset(28)]
    public uint UserId;

    [FieldOffset(32)]
    public uint GroupId;
}
