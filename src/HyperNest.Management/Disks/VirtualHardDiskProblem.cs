namespace HyperNest.Management.Disks;

/// <summary>Why a virtual hard disk operation failed, for the front ends' error kinds.</summary>
public enum VirtualHardDiskProblem
{
    /// <summary>A parameter or the file is not what the operation can take.</summary>
    Invalid,

    /// <summary>The file (or a parent, a folder) does not exist.</summary>
    NotFound,

    /// <summary>The file to make already exists.</summary>
    Exists,

    /// <summary>A VM that is not off uses it, or a checkpoint depends on it.</summary>
    InUse,

    /// <summary>This process may not read or write the file.</summary>
    AccessDenied,

    /// <summary>A tool it needs (qemu-img) is not installed.</summary>
    ToolMissing,

    /// <summary>The tool (qemu-img) could not do it: it says why.</summary>
    ToolFailed,
}
