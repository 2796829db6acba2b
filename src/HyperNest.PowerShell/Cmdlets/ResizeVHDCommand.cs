using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Resizes a virtual hard disk.</summary>
/// <remarks>
/// <para>Changes the size the guest sees of a raw or qcow2 disk. Growing adds zeros. Shrinking is refused when the
/// new size is below the disk's MinimumSize (Get-VHD), since it would cut data: for raw, the last non-zero byte; for
/// qcow2, the last cluster it holds and, for a differencing disk, its parent's data it shows. -ToMinimumSize
/// shrinks to exactly that. A differencing disk grows only when its parent is no larger.</para>
/// <para>Refused while a VM that is not Off has the disk attached (HyperNest's disks cannot change under a running
/// VM, and a saved VM's state records the size): turn it off first. Refused too for a disk a checkpoint froze or
/// built on, and for VHDX and VHD files (convert them first). The size is a multiple of 512 bytes.</para>
/// </remarks>
/// <example>
/// <code>Resize-VHD W.qcow2 -SizeBytes 20GB</code>
/// <para>Grows W.qcow2 to 20 GB; the guest's partition table and file systems are its own to grow.</para>
/// </example>
/// <example>
/// <code>Resize-VHD W.qcow2 -ToMinimumSize</code>
/// <para>Shrinks W.qcow2 to the end of its last data.</para>
/// </example>
[Cmdlet(VerbsCommon.Resize, "VHD", SupportsShouldProcess = true, DefaultParameterSetName = SizeSet)]
[OutputType(typeof(VirtualHardDisk))]
public sealed class ResizeVHDCommand : VhdCmdlet
{
    public const string SizeSet = "Size";
    public const string MinimumSizeSet = "MinimumSize";

    /// <summary>The disk files to resize; a relative path is from the current location.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The new size in bytes, a multiple of 512.</summary>
    [Parameter(ParameterSetName = SizeSet, Mandatory = true, Position = 1)]
    public ulong SizeBytes { get; set; }

    /// <summary>Shrinks the disk to its MinimumSize: the end of its data.</summary>
    [Parameter(ParameterSetName = MinimumSizeSet, Mandatory = true)]
    public SwitchParameter ToMinimumSize { get; set; }

    /// <summary>Writes the resized disk to the pipeline.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string full in Path.Select(FullPath))
        {
            string action = ToMinimumSize ? "Resize virtual hard disk to its minimum size" : $"Resize virtual hard disk to {SizeBytes} bytes";
            if (ShouldProcess(full, action))
            {
                WriteDisk(full, () => ToMinimumSize ? Disks.ResizeToMinimum(full) : Disks.Resize(full, NewVHDCommand.Bytes(SizeBytes)), Passthru);
            }
        }
    }
}
