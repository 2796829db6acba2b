namespace HyperNest.Emulation.Tests.Cpio;

/// <summary>One entry as read back from a newc archive, with the offset its header started at.</summary>
internal sealed record NewcEntry(long Offset, string Name, uint Inode, uint Mode, uint Nlink, uint RdevMajor, uint RdevMinor, byte[] Data)
{
    public uint FileType => Mode & 0xF000;

    public uint Permissions => Mode & 0xFFF;
}
