using System.Management.Automation;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// New-VM [[-Name] &lt;String&gt;] [[-MemoryStartupBytes] &lt;Int64&gt;] [[-Generation] &lt;Int16&gt;] [-SwitchName &lt;String&gt;]
/// [-NoVHD | -VHDPath &lt;String&gt;] [-Accelerator Auto|Kvm|Emulated]. Like Hyper-V, the VM gets one network adapter, "Network Adapter". -Generation is
/// accepted for scripts written for Hyper-V and has no effect (HyperNest has one machine type).
/// </summary>
[Cmdlet(VerbsCommon.New, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NoVhdSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class NewVMCommand : HyperNestCmdlet
{
    public const string NoVhdSet = "No VHD";

    public const string ExistingVhdSet = "Existing VHD";

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

    /// <summary>A raw disk image to attach (HyperNest has no VHD format: images are raw).</summary>
    [Parameter(ParameterSetName = ExistingVhdSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string VHDPath { get; set; } = string.Empty;

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
        };
        if (Attempt(Name, () => Manager.NewVm(options)) is { } vm)
        {
            WriteObject(ToObject(vm));
        }
    }
}
