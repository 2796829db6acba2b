using System.Management.Automation;
using HyperNest.Management.Disks;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Converts the format and type of a virtual hard disk file.</summary>
/// <remarks>
/// <para>Copies the content of a disk into a new file of another format: a raw (fixed) disk for any name but .qcow2,
/// a qcow2 (dynamic) disk for a .qcow2 name. The source may be raw, qcow2, or Hyper-V's VHDX or VHD (by its name);
/// a differencing source gives a whole disk with its parents' data. qemu-img (Debian's qemu-utils) does the
/// conversion; without it the cmdlet says which package to install.</para>
/// <para>-VHDType, when given, must agree with the destination's name (Fixed: raw, Dynamic: qcow2); a differencing
/// destination is not made (use New-VHD -Differencing). As in Hyper-V the conversion is offline: a source attached
/// to a VM that is not Off is refused. The destination must not exist; a failed conversion leaves no file.</para>
/// </remarks>
/// <example>
/// <code>Convert-VHD -Path web.vhdx -DestinationPath web.qcow2</code>
/// <para>Turns a Hyper-V VHDX disk into a dynamic qcow2 disk HyperNest can attach.</para>
/// </example>
[Cmdlet(VerbsData.Convert, "VHD", SupportsShouldProcess = true)]
[OutputType(typeof(Objects.VirtualHardDisk))]
public sealed class ConvertVHDCommand : VhdCmdlet
{
    /// <summary>The disk to convert; a relative path is from the current location.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The new disk file; its name sets its format (.qcow2: qcow2, else raw).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string DestinationPath { get; set; } = string.Empty;

    /// <summary>The new disk's type, Fixed or Dynamic; by default the destination name's.</summary>
    [Parameter]
    public VhdType? VHDType { get; set; }

    /// <summary>Deletes the source after a conversion that succeeded.</summary>
    [Parameter]
    public SwitchParameter DeleteSource { get; set; }

    /// <summary>Writes the new disk to the pipeline.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        string source = FullPath(Path), destination = FullPath(DestinationPath);
        if (ShouldProcess(source, $"Convert virtual hard disk into '{destination}'"))
        {
            WriteDisk(source, () => Disks.Convert(source, destination, VHDType, DeleteSource), Passthru);
        }
    }
}
