namespace HyperNest.Emulation.Qemu;

/// <summary>
/// A host file handed to the emulated host as a virtio-blk device. Inside, it appears as /hnest/&lt;Name&gt; (the init
/// script finds it by the serial hnest-&lt;Name&gt; QEMU gives it): the VM's disks are disk0, disk1, ...; a save area
/// or a saved memory file has its own name.
/// </summary>
public sealed record EmulatedHostDisk(string Name, string Path, bool ReadOnly)
{
    /// <summary>The VM's disk number <paramref name="index"/>.</summary>
    public static EmulatedHostDisk Disk(int index, string path, bool readOnly) => new($"disk{index}", path, readOnly);

    /// <summary>The path the disk has inside the emulated host.</summary>
    public string InnerPath => $"/hnest/{Name}";

    /// <summary>At most 20 characters (virtio-blk's serial, virtio 1.2 §5.2.6).</summary>
    public string Serial => $"hnest-{Name}";
}
