namespace HyperNest.Management.Disks;

/// <summary>
/// A virtual hard disk's file format, decided by its file name as Hyper-V's New-VHD and Convert-VHD decide it:
/// <c>.qcow2</c> is qcow2, <c>.vhdx</c> VHDX, <c>.vhd</c> VHD, any other name raw. HyperNest writes and runs raw and
/// qcow2; VHDX and VHD (Hyper-V's) are read to be converted.
/// </summary>
public enum VhdFormat
{
    /// <summary>The file's bytes are the disk's bytes.</summary>
    Raw,

    /// <summary>QEMU's copy-on-write format: grows as written, may have a parent (backing file).</summary>
    Qcow2,

    /// <summary>Hyper-V's VHDX.</summary>
    VHDX,

    /// <summary>Hyper-V's and Virtual PC's VHD.</summary>
    VHD,
}
