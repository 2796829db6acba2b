using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VMSwitch [-Name] &lt;String[]&gt; | [-VMSwitch] &lt;VMSwitch[]&gt; [-SwitchType Internal|Private | [-NetAdapterName]
/// &lt;String&gt;] [-AllowManagementOS &lt;Boolean&gt;] [-Notes &lt;String&gt;] [-Passthru]. -NetAdapterName makes the switch
/// External; -SwitchType on an External switch gives its NIC back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "VMSwitch", SupportsShouldProcess = true, DefaultParameterSetName = NameTypeSet)]
[OutputType(typeof(VMSwitch))]
public sealed class SetVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameTypeSet = "SwitchName_SwitchType";

    public const string NameNicSet = "SwitchName_NetAdapterName";

    public const string ObjectTypeSet = "SwitchObject_SwitchType";

    public const string ObjectNicSet = "SwitchObject_NetAdapterName";

    [Parameter(ParameterSetName = NameTypeSet, Mandatory = true, Position = 0)]
    [Parameter(ParameterSetName = NameNicSet, Mandatory = true, Position = 0)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ObjectTypeSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = ObjectNicSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSwitch[] VMSwitch { get; set; } = [];

    [Parameter(ParameterSetName = NameNicSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = ObjectNicSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? NetAdapterName { get; set; }

    [Parameter(ParameterSetName = NameTypeSet)]
    [Parameter(ParameterSetName = ObjectTypeSet)]
    public VirtualSwitchType? SwitchType { get; set; }

    [Parameter]
    public bool? AllowManagementOS { get; set; }

    [Parameter]
    public string? Notes { get; set; }

    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        var changes = new SwitchChanges { SwitchType = SwitchType, NetAdapterName = NetAdapterName, AllowManagementOS = AllowManagementOS, Notes = Notes };
        foreach (VirtualSwitchInfo target in ParameterSetName.StartsWith("SwitchObject", StringComparison.Ordinal) ? FindSwitches(VMSwitch) : FindSwitches(Name))
        {
            if (ShouldProcess(target.Name, "Set virtual switch") && Attempt(target.Name, () => Switches.SetSwitch(target.Id.ToString(), changes)) is { } changed && Passthru)
            {
                WriteObject(Objects.VMSwitch.From(changed));
            }
        }
    }
}
