using HyperNest.Vmm.Disks;

namespace HyperNest.Management.Checkpoints;

/// <summary>
/// A qcow2 overlay HyperNest made in the VM's folder (checkpoints/disks), on <paramref name="BackingPath"/> in
/// <paramref name="BackingFormat"/>. Recorded when made, so the tree of images is known without opening files a
/// running VM holds locked.
/// </summary>
public sealed record DiskOverlay(string Path, string BackingPath, DiskFormat BackingFormat);
