using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Add-VMHardDiskDrive [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Path] &lt;String&gt; [-ReadOnly] [-Passthru]:
/// attaches a raw disk image as a virtio-blk drive. The VM must be Off.
/// </summary>
[Cmdlet(VerbsCommon.Add, "VMHardDiskDrive", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(HardDiskDrive))]
public sealed class AddVMHardDiskDriveCommand : VmSettingsCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>HyperNest's addition: the guest sees a read-only disk.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        ChangeSettings($"Add hard disk drive '{path}'", vm =>
        {
            VmInfo changed = Manager.AddHardDiskDrive(vm.Id.ToString(), path, ReadOnly);
            WriteTailWarnings([changed.Configuration.HardDrives[^1].Path]);
            return changed;
        }, vm => HardDiskDrive.AllOf(vm)[^1]);
    }
}
