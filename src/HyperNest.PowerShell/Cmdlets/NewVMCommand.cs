using System.Management.Automation;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// New-VM [[-Name] &lt;String&gt;] [[-MemoryStartupBytes] &lt;Int64&gt;] [[-Generation] &lt;Int16&gt;] [-SwitchName &lt;String&gt;]
/// [-NoVHD | -VHDPath &lt;String&gt; | -NewVHDPath &lt;String&gt; -NewVHDSizeBytes &lt;UInt64&gt;] [-Accelerator Auto|Kvm|Emulated]. Like Hyper-V, the VM gets one network adapter, "Network Adapter". -Generation is
/// accepted for scripts written for Hyper-V and has no effect (HyperNest has one machine type).
/// </summary>
[Cmdlet(VerbsCommon.New, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NoVhdSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class NewVMCommand : HyperNestCmdlet
{
    public const string NoVhdSet = "No VHD";

    public const string ExistingVhdSet = "Existing VHD";

    public const string NewVhdSet = "New VHD";

    /// <summary>Hyper-V's name for a VM created without one.</summary>
    public const string DefaultName = "New Virtual Machine";

    [Parameter(Position = 0)]
    [Alias("VMName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultName;

    [Parameter(Position = 1)]
    [ValidateRange(1, long.MaxValue)]
    public long? MemoryStartupBytes { get; set; }

    [Parameter(Position = 2)]
    [ValidateRange(1, 2)]
    public short Generation { get; set; } = 1;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SwitchName { get; set; }

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
