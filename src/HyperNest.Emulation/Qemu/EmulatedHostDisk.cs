namespace HyperNest.Emulation.Qemu;

/// <summary>
/// A host image handed to the emulated host as a virtio-blk device. Inside, it appears as /hnest/disk&lt;Index&gt;
/// (the init script finds it by the serial hnest-disk&lt;Index&gt; QEMU gives it).
/// </summary>
public sealed record EmulatedHostDisk(int Index, string Path, bool ReadOnly)
{
    /// <summary>The path the disk has inside the emulated host.</summary>
    public string InnerPath => $"/hnest/disk{Index}";

    public string Serial => $"hnest-disk{Index}";
}
