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
/// .qcow2); -NewVHDPath with -NewVHDSizeBytes makes a new dynamic (qcow2) disk and attaches it, the VM and the disk
/// made together or not at all.</para>
/// <para>-Generation is accepted for scripts written for Hyper-V and has no effect: HyperNest has one machine type,
/// with no firmware. -Accelerator, HyperNest's own, says where the VM's processors run (see about_HyperNest). VM names
/// are unique in a store.</para>
/// </remarks>
/// <example>
/// <code>New-VM -Name web -MemoryStartupBytes 1GB -SwitchName Lab</code>
/// <para>Creates web with 1 GB of memory and an adapter on the switch Lab.</para>
/// </example>
/// <example>
/// <code>New-VM -Name W -MemoryStartupBytes 1GB -NewVHDPath W.qcow2 -NewVHDSizeBytes 4GB</code>
/// <para>Creates W with a new dynamic 4 GB disk, W.qcow2, in the current folder (Get-VHD W.qcow2 shows it).</para>
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

    public const string NewVhdSet = "New VHD";

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

    /// <summary>A disk to attach: a qcow2 image for a .qcow2 name, else raw (Convert-VHD turns a .vhdx into qcow2).</summary>
    [Parameter(ParameterSetName = ExistingVhdSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string VHDPath { get; set; } = string.Empty;

    /// <summary>A new dynamic disk to make and attach: a qcow2 image, so its name ends in .qcow2. The VM and the disk are made together or not at all.</summary>
    [Parameter(ParameterSetName = NewVhdSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string NewVHDPath { get; set; } = string.Empty;

    /// <summary>The new disk's size in bytes, a multiple of 512.</summary>
    [Parameter(ParameterSetName = NewVhdSet, Mandatory = true)]
    public ulong NewVHDSizeBytes { get; set; }

    /// <summary>Where the VM runs (HyperNest's own): Auto, the default, takes this host's KVM when it can, else the emulated host.</summary>
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
            NewVhdPath = ParameterSetName == NewVhdSet ? GetUnresolvedProviderPathFromPSPath(NewVHDPath) : null,
            NewVhdSizeBytes = ParameterSetName == NewVhdSet ? NewVHDCommand.Bytes(NewVHDSizeBytes) : null,
        };
        if (Attempt(Name, () => Manager.NewVm(options)) is { } vm)
        {
            WriteTailWarnings(vm.Configuration.HardDrives.Select(d => d.Path));
            WriteObject(ToObject(vm));
        }
    }
}
