namespace HyperNest.Management.Disks;

/// <summary>A virtual hard disk operation refused or failed; the message is one line naming the file.</summary>
public sealed class VirtualHardDiskException(string message, VirtualHardDiskProblem problem) : ManagementException(message)
{
    public VirtualHardDiskProblem Problem { get; } = problem;
}
