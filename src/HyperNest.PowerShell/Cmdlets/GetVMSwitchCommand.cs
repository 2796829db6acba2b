using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VMSwitch [[-Name] &lt;String&gt;] | [-Id] &lt;Guid[]&gt; [-SwitchType &lt;VMSwitchType[]&gt;]: every switch, or those named (wildcards).</summary>
[Cmdlet(VerbsCommon.Get, "VMSwitch", DefaultParameterSetName = NameSet)]
[OutputType(typeof(VMSwitch))]
public sealed class GetVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameSet = "Name";

    public const string IdSet = "Id";

    [Parameter(ParameterSetName = NameSet, Position = 0)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0)]
    public Guid[] Id { get; set; } = [];

    /// <summary>Only switches of these types.</summary>
    [Parameter]
    public VirtualSwitchType[]? SwitchType { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<VirtualSwitchInfo> switches = ParameterSetName == IdSet ? FindSwitches(Id.Select(id => id.ToString()))
            : Name is null ? All()
            : FindSwitches([Name]);
        foreach (VirtualSwitchInfo info in switches.Where(s => SwitchType is null || SwitchType.Contains(s.Switch.SwitchType)))
        {
            WriteObject(VMSwitch.From(info));
        }
    }

    private IReadOnlyList<VirtualSwitchInfo> All() => ListAll("VMSwitch", () =>
    {
        SwitchListResult result = Switches.GetSwitches();
        return (result.Switches, result.Problems);
    });
}
