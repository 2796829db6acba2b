using HyperNest.Management.Disks;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>What the virtual hard disk cmdlets share: the disk manager on the default store, paths from the PowerShell location.</summary>
public abstract class VhdCmdlet : HyperNestCmdlet
{
    private VhdManager? _disks;

    protected VhdManager Disks => _disks ??= new VhdManager(Manager.Store);

    /// <summary>A path as the user typed it, made absolute from the PowerShell location (not the process's).</summary>
    protected string FullPath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Runs a disk operation on <paramref name="path"/>; writes the disk it gives when <paramref name="write"/>.</summary>
    protected void WriteDisk(string path, Func<Management.Disks.VirtualHardDisk> operation, bool write = true)
    {
        if (Attempt(path, operation) is { } disk && write)
        {
            WriteObject(Objects.VirtualHardDisk.From(disk));
        }
    }
}
