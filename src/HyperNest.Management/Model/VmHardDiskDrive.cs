namespace HyperNest.Management.Model;

/// <summary>A raw disk image attached as virtio-blk.</summary>
public sealed record VmHardDiskDrive
{
    public required string Path { get; init; }

    public bool ReadOnly { get; init; }
}
