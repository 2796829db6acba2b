using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets virtual switches.</summary>
/// <remarks>
/// <para>Writes one VMSwitch object per switch: its name, id, type, the network card an External switch took, its
/// bridge (and whether the bridge exists now: a host reboot removes bridges, and a VM's start makes its switch's again)
/// and the adapters connected to it. A switch record the store cannot read is an error, and the others are still
/// listed.</para>
/// </remarks>
/// <example>
/// <code>Get-VMSwitch</code>
/// <para>Lists every switch.</para>
/// </example>
/// <example>
/// <code>Get-VMSwitch -SwitchType Internal, Private</code>
/// <para>Lists the switches that do not reach the host's network.</para>
/// </example>
/// <example>
/// <code>Get-VMSwitch Lab | Select-Object -ExpandProperty ConnectedAdapters</code>
/// <para>Lists the adapters connected to the switch Lab.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMSwitch", DefaultParameterSetName = NameSet)]
[OutputType(typeof(VMSwitch))]
public sealed class GetVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameSet = "Name";

    public const string IdSet = "Id";

    /// <summary>The switch's name (wildcards allowed); without it, every switch.</summary>
    [Parameter(ParameterSetName = NameSet, Position = 0)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SwitchNameCompleter))]
    public string? Name { get; set; }

    /// <summary>The switches' ids.</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0)]
    public Guid[] Id { get; set; } = [];

    /// <summary>Only switches of these types: Private, Internal, External.</summary>
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
