namespace HyperNest.Management.Disks;

/// <summary>New-VHD's parameters.</summary>
public sealed record NewVhdOptions
{
    /// <summary>The file to make (must not exist); its name sets the format (<see cref="VhdFormat"/>).</summary>
    public required string Path { get; init; }

    /// <summary>The disk's size in bytes, a multiple of 512; a differencing disk's defaults to its parent's.</summary>
    public long? SizeBytes { get; init; }

    public VhdType Type { get; init; } = VhdType.Dynamic;

    /// <summary>A differencing disk's parent: a raw or qcow2 image.</summary>
    public string? ParentPath { get; init; }

    /// <summary>A qcow2 image's cluster size: a power of two from 512 bytes to 2 MiB (64 KiB when null).</summary>
    public long? BlockSizeBytes { get; init; }
}
