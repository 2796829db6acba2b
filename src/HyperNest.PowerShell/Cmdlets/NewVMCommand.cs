using System.Management.Automation;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Creates a new virtual machine.</summary>
/// <remarks>
/// <para>Creates a VM in the store, Off, with Hyper-V's defaults: the name New Virtual Machine, one network adapter
/// named Network Adapter (connected to -SwitchName, or to nothing), and the built-in guest to boot until
/// Set-VMBootSource gives it a kernel. -VHDPath attaches an existing disk image (raw, or qcow2 when its name ends in
/// .qcow2); HyperNest makes no disk images.</para>
/// <para>-Generation is accepted for scripts written for Hyper-V and has no effect: HyperNest has one machine type,
/// with no firmware. -Accelerator, HyperNest's own, says where the VM's processors run (see about_HyperNest). VM names
/// are unique in a store.</para>
/// </remarks>
/// <example>
/// <code>New-VM -Name web -MemoryStartupBytes 1GB -SwitchName Lab</code>
/// <para>Creates web with 1 GB of memory and an adapter on the switch Lab.</para>
/// </example>
/// <example>
/// <code>New-VM -Name db -VHDPath /srv/images/db.qcow2 -Accelerator Emulated</code>
/// <para>Creates db with an existing qcow2 disk, to run on the emulated host.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NoVhdSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class NewVMCommand : HyperNestCmdlet
{
    public const string NoVhdSet = "No VHD";

    public const string ExistingVhdSet = "Existing VHD";

    /// <summary>Hyper-V's name for a VM created without one.</summary>
    public const string DefaultName = "New Virtual Machine";

    /// <summary>The VM's name, unique in the store (at most 100 characters); default New Virtual Machine.</summary>
    [Parameter(Position = 0)]
    [Alias("VMName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultName;

    /// <summary>The memory the VM starts with, in bytes (PowerShell's 1GB is bytes); default 512 MB.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, long.MaxValue)]
    public long? MemoryStartupBytes { get; set; }

    /// <summary>
    /// Accepted for scripts written for Hyper-V (1 or 2) and ignored: HyperNest has one machine type.
    /// </summary>
    [Parameter(Position = 2)]
    [ValidateRange(1, 2)]
    public short Generation { get; set; } = 1;

    /// <summary>The virtual switch the VM's network adapter is connected to; it must exist.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SwitchName { get; set; }

    /// <summary>Creates the VM without a disk (the default).</summary>
    [Parameter(ParameterSetName = NoVhdSet)]
    public SwitchParameter NoVHD { get; set; }

    /// <summary>
    /// An existing disk image to attach: raw, or qcow2 when its name ends in .qcow2 (HyperNest has no VHD format).
    /// </summary>
    [Parameter(ParameterSetName = ExistingVhdSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string VHDPath { get; set; } = string.Empty;

    /// <summary>
    /// Where the VM runs (HyperNest's own): Auto, the default, takes this host's KVM when it can, else the emulated
    /// host.
    /// </summary>
    [Parameter]
    public Accelerator Accelerator { get; set; } = Accelerator.Auto;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create virtual machine"))
        {
            return;
        }

        var options = new NewVmOptions
        {
            Name = Name,
            MemoryStartupBytes = (ulong?)MemoryStartupBytes,
            SwitchName = SwitchName,
            Accelerator = Accelerator,
            DiskPaths = ParameterSetName == ExistingVhdSet ? [GetUnresolvedProviderPathFromPSPath(VHDPath)] : [],
        };
        if (Attempt(Name, () => Manager.NewVm(options)) is { } vm)
        {
            WriteObject(ToObject(vm));
        }
    }
}
