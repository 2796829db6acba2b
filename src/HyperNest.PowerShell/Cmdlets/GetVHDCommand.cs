using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the virtual hard disk object associated with a virtual hard disk.</summary>
/// <remarks>
/// <para>Reads a disk file: its format (Raw, Qcow2, or Hyper-V's VHDX and VHD, by its name), its type (Fixed for raw,
/// Dynamic or Differencing for qcow2), its size as the guest sees it and the file's size, the smallest size it can
/// be shrunk to without cutting data (MinimumSize), a differencing disk's parent, and the VMs it is attached to
/// (Attached, VMName). With -VMId, the disks of those VMs. VHDX and VHD files are read with qemu-img.</para>
/// <para>A disk that a running VM holds open cannot be read (HyperNest locks it): turn the VM off, or read its
/// settings with Get-VMHardDiskDrive.</para>
/// </remarks>
/// <example>
/// <code>Get-VHD W.qcow2</code>
/// <para>Shows W.qcow2: a Qcow2 Dynamic disk, its Size and FileSize, and whether a VM has it attached.</para>
/// </example>
/// <example>
/// <code>Get-VM web | Get-VHD</code>
/// <para>Shows every disk attached to web.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VHD", DefaultParameterSetName = PathSet)]
[OutputType(typeof(VirtualHardDisk))]
public sealed class GetVHDCommand : VhdCmdlet
{
    public const string PathSet = "Path";
    public const string VMIdSet = "VMId";
    public const string VMObjectSet = "VMObject";

    /// <summary>The disk files to read; a relative path is from the current location.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The VMs whose attached disks to read (from Get-VM, by its Id or VMId property).</summary>
    [Parameter(ParameterSetName = VMIdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public Guid[] VMId { get; set; } = [];

    /// <summary>The VMs whose attached disks to read, as objects from Get-VM (HyperNest's addition: Get-VM web | Get-VHD).</summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    protected override void ProcessRecord()
    {
        IEnumerable<string> paths = ParameterSetName switch
        {
            VMIdSet => FindVms(VMId.Select(id => (id, id.ToString()))).SelectMany(vm => vm.Configuration.HardDrives.Select(d => d.Path)),
            VMObjectSet => FindVms(VM).SelectMany(vm => vm.Configuration.HardDrives.Select(d => d.Path)),
            _ => Path.Select(FullPath),
        };
        foreach (string path in paths)
        {
            WriteDisk(path, () => Disks.Get(path));
        }
    }
}
