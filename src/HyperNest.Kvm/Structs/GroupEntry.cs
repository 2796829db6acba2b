using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct group (grp.h) on x86-64: name, password, gid (padded to 8), member list; 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GroupEntry
{
    public byte* Name;
    public byte* Password;
    public uint Id;
    public byte** Members;
}
