using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Vmm.Disks;

/// <summary>How a disk image file is laid out.</summary>
[JsonConverter(typeof(EnumNameConverter<DiskFormat>))]
public enum DiskFormat
{
    /// <summary>The file's bytes are the disk's bytes.</summary>
    Raw,

    /// <summary>QEMU's copy-on-write format, version 2 or 3 (clusters mapped through L1/L2 tables, a backing file).</summary>
    Qcow2,
}
