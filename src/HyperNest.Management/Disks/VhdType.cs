namespace HyperNest.Management.Disks;

/// <summary>Hyper-V's kinds of virtual hard disk, as HyperNest makes them.</summary>
public enum VhdType
{
    /// <summary>All its space is taken when it is made: a raw image, preallocated.</summary>
    Fixed,

    /// <summary>Grows as the guest writes: a qcow2 image without a parent.</summary>
    Dynamic,

    /// <summary>Holds only what changed from its parent: a qcow2 image with a backing file.</summary>
    Differencing,
}
