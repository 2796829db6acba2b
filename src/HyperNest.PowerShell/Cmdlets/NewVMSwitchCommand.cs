using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// New-VMSwitch [-Name] &lt;String&gt; -NetAdapterName &lt;String&gt; [-AllowManagementOS &lt;Boolean&gt;] |
/// -SwitchType Private|Internal [-Notes &lt;String&gt;]: a Linux bridge and its record (root: CAP_NET_ADMIN).
/// An External switch takes one NIC (HyperNest has no switch-embedded teaming).
/// </summary>
[Cmdlet(VerbsCommon.New, "VMSwitch", SupportsShouldProcess = true, DefaultParameterSetName = NetAdapterNameSet)]
[OutputType(typeof(VMSwitch))]
public sealed class NewVMSwitchCommand : HyperNestCmdlet
{
    public const string NetAdapterNameSet = "NetAdapterName";

    public const string SwitchTypeSet = "SwitchType";

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("SwitchName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = NetAdapterNameSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string NetAdapterName { get; set; } = string.Empty;

    /// <summary>Whether the host keeps the NIC's addresses (moved to the bridge); Hyper-V's default is true.</summary>
    [Parameter(ParameterSetName = NetAdapterNameSet)]
    public bool? AllowManagementOS { get; set; }

    [Parameter(ParameterSetName = SwitchTypeSet, Mandatory = true)]
    public VirtualSwitchType SwitchType { get; set; }

    [Parameter]
    public string? Notes { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create virtual switch"))
        {
            return;
        }

        bool byNic = ParameterSetName == NetAdapterNameSet;
        var options = new NewSwitchOptions
        {
            Name = Name,
            SwitchType = byNic ? VirtualSwitchType.External : SwitchType,
            NetAdapterName = byNic ? NetAdapterName : null,
            AllowManagementOS = AllowManagementOS,
            Notes = Notes,
        };
        if (Attempt(Name, () => Switches.NewSwitch(options)) is { } created)
        {
            WriteObject(VMSwitch.From(created));
        }
    }
}
