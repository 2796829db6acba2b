using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures one or more processors of a virtual machine.</summary>
/// <remarks>
/// <para>Sets a VM's number of virtual processors (-Count) and whether its processors expose the host's virtualization
/// extensions (Intel VT-x or AMD-V), so that the guest can run its own hypervisor. Both change only while the VM is
/// Off, as in Hyper-V; a VM in another state is an InvalidOperation error.</para>
/// <para>With the extensions exposed, the VM cannot start with Dynamic Memory on, and starts on KVM only where this
/// host can expose them (Get-NestedVirtStatus says whether it can and why not); fewer than 2 processors is a warning.
/// On the emulated accelerator the emulated host always offers AMD-V.</para>
/// </remarks>
/// <example>
/// <code>Set-VMProcessor -VMName web -Count 4</code>
/// <para>Gives web four virtual processors from its next start.</para>
/// </example>
/// <example>
/// <code>Set-VMProcessor -VMName hv -ExposeVirtualizationExtensions $true -Count 2</code>
/// <para>Lets the guest of hv run its own VMs, with two processors.</para>
/// </example>
/// <example>
/// <code>Get-VM lab* | Set-VMProcessor -ExposeVirtualizationExtensions $false -Passthru</code>
/// <para>Turns nested virtualization off for every VM whose name starts with lab, and shows their processors.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMProcessor", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMProcessor))]
public sealed class SetVMProcessorCommand : VmSettingsCmdlet
{
    public const string VMProcessorSet = "VMProcessor";

    /// <summary>Processor settings from Get-VMProcessor, by value from the pipeline: the VMs they belong to change.</summary>
    [Parameter(ParameterSetName = VMProcessorSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMProcessor[] VMProcessor { get; set; } = [];

    /// <summary>The number of virtual processors, 1 or more (also the second positional parameter).</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, int.MaxValue)]
    public long? Count { get; set; }

    /// <summary>
    /// Whether the guest sees the host's virtualization extensions (VMX or SVM) and can run its own VMs.
    /// </summary>
    [Parameter]
    public bool? ExposeVirtualizationExtensions { get; set; }

    protected override IEnumerable<(Guid Id, string Name)>? DeviceVms =>
        ParameterSetName == VMProcessorSet ? VMProcessor.Select(p => (p.VMId, p.VMName)) : null;

    protected override void ProcessRecord()
    {
        var changes = new ProcessorChanges { Count = (int?)Count, ExposeVirtualizationExtensions = ExposeVirtualizationExtensions };
        ChangeSettings("Set processor", vm => Manager.SetProcessor(vm.Id.ToString(), changes), Objects.VMProcessor.From);
    }
}
