using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VMMemory [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-DynamicMemoryEnabled &lt;Boolean&gt;]
/// [-StartupBytes &lt;Int64&gt;] [-MinimumBytes &lt;Int64&gt;] [-MaximumBytes &lt;Int64&gt;] [-Buffer &lt;Int32&gt;]
/// [-Priority &lt;Int32&gt;] [-Passthru], with Hyper-V's rules (minimum, maximum and buffer need dynamic memory).
/// </summary>
[Cmdlet(VerbsCommon.Set, "VMMemory", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMMemory))]
public sealed class SetVMMemoryCommand : VmSettingsCmdlet
{
    public const string VMMemorySet = "VMMemory";

    [Parameter(ParameterSetName = VMMemorySet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMMemory[] VMMemory { get; set; } = [];

    [Parameter]
    public bool? DynamicMemoryEnabled { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? StartupBytes { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MinimumBytes { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MaximumBytes { get; set; }

    [Parameter]
    public int? Buffer { get; set; }

    [Parameter]
    public int? Priority { get; set; }

    protected override IEnumerable<(Guid Id, string Name)>? DeviceVms =>
        ParameterSetName == VMMemorySet ? VMMemory.Select(m => (m.VMId, m.VMName)) : null;

    protected override void ProcessRecord()
    {
        var changes = new MemoryChanges
        {
            DynamicMemoryEnabled = DynamicMemoryEnabled,
            StartupBytes = (ulong?)StartupBytes,
            MinimumBytes = (ulong?)MinimumBytes,
            MaximumBytes = (ulong?)MaximumBytes,
            Buffer = Buffer,
            Priority = Priority,
        };
        ChangeSettings("Set memory", vm => Manager.SetMemory(vm.Id.ToString(), changes), Objects.VMMemory.From);
    }
}
