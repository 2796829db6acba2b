using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Remove-VMSwitch [-Name] &lt;String[]&gt; | [-VMSwitch] &lt;VMSwitch[]&gt; [-Force]: deletes the bridge and the record,
/// gives an External switch's NIC back and disconnects the adapters on it. Asks first unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "VMSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
public sealed class RemoveVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameSet = "Name";

    public const string ObjectSet = "SwitchObject";

    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSwitch[] VMSwitch { get; set; } = [];

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VirtualSwitchInfo target in ParameterSetName == ObjectSet ? FindSwitches(VMSwitch) : FindSwitches(Name))
        {
            if (ShouldProcessHighImpact(target.Name, "Remove virtual switch", Force))
            {
                Attempt(target.Name, () => Switches.RemoveSwitch(target.Id.ToString()));
            }
        }
    }
}
