using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VMProcessor [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [[-Count] &lt;Int64&gt;]
/// [-ExposeVirtualizationExtensions &lt;Boolean&gt;] [-Passthru]. Both settings change only while the VM is Off.
/// </summary>
[Cmdlet(VerbsCommon.Set, "VMProcessor", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMProcessor))]
public sealed class SetVMProcessorCommand : VmSettingsCmdlet
{
    public const string VMProcessorSet = "VMProcessor";

    [Parameter(ParameterSetName = VMProcessorSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMProcessor[] VMProcessor { get; set; } = [];

    [Parameter(Position = 1)]
    [ValidateRange(1, int.MaxValue)]
    public long? Count { get; set; }

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
