namespace HyperNest.Emulation.Qemu;

/// <summary>
/// A host file handed to the emulated host as a virtio-blk device. Inside, it appears as /hnest/&lt;Name&gt; (the init
/// script finds it by the serial hnest-&lt;Name&gt; QEMU gives it): the VM's disks are disk0, disk1, ...; a save area
/// or a saved memory file has its own name.
/// </summary>
/// <param name="Name">Its name inside (/hnest/Name) and its serial's tail.</param>
/// <param name="Path">The host file.</param>
/// <param name="ReadOnly">Passed read-only.</param>
/// <param name="Format">
/// QEMU's name of the file's format ("raw", "qcow2"): QEMU opens a qcow2 image with its backing chain and shows the
/// emulated host its content, so inside every disk is raw.
/// </param>
public sealed record EmulatedHostDisk(string Name, string Path, bool ReadOnly, string Format = "raw")
{
    /// <summary>The VM's disk number <paramref name="index"/>.</summary>
    public static EmulatedHostDisk Disk(int index, string path, bool readOnly, string format = "raw") => new($"disk{index}", path, readOnly, format);

    /// <summary>The path the disk has inside the emulated host.</summary>
    public string InnerPath => $"/hnest/{Name}";

    /// <summary>At most 20 characters (virtio-blk's serial, virtio 1.2 §5.2.6).</summary>
    public string Serial => $"hnest-{Name}";
}
