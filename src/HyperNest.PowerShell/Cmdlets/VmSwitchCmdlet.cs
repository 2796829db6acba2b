using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>What the VMSwitch cmdlets share: switches by name (wildcards) or by object from Get-VMSwitch.</summary>
public abstract class VmSwitchCmdlet : HyperNestCmdlet
{
    /// <summary>The switches named (wildcards allowed); an exact name with no switch is an ObjectNotFound error.</summary>
    protected IEnumerable<VirtualSwitchInfo> FindSwitches(IEnumerable<string> names) =>
        FindByName(names, () => Switches.GetSwitches().Switches, Switches.GetSwitch, s => s.Name, s => s.Id);

    /// <summary>The switches behind objects from Get-VMSwitch, read again by id.</summary>
    protected IEnumerable<VirtualSwitchInfo> FindSwitches(IEnumerable<VMSwitch> switches) => FindSwitches(switches.Select(s => s.Id.ToString()));
}
