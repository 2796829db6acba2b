using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Deletes a virtual switch.</summary>
/// <remarks>
/// <para>Deletes the switch's bridge and its record, gives an External switch's network card back to the host
/// (addresses and routes included) and disconnects the adapters that were on it; a running VM's adapter stays,
/// connected to nothing. Needs root (CAP_NET_ADMIN). Asks for confirmation first unless -Force or
/// -Confirm:$false.</para>
/// </remarks>
/// <example>
/// <code>Remove-VMSwitch -Name Lab -Force</code>
/// <para>Deletes the switch Lab without asking.</para>
/// </example>
/// <example>
/// <code>Get-VMSwitch -SwitchType Private | Remove-VMSwitch</code>
/// <para>Asks, for each Private switch, whether to delete it.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VMSwitch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
public sealed class RemoveVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameSet = "Name";

    public const string ObjectSet = "SwitchObject";

    /// <summary>The names of the switches to delete (wildcards allowed).</summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SwitchNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Switch objects, as Get-VMSwitch writes them (also from the pipeline).</summary>
    [Parameter(ParameterSetName = ObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSwitch[] VMSwitch { get; set; } = [];

    /// <summary>Deletes without asking.</summary>
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
