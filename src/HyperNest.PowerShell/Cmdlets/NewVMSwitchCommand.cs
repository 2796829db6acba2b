using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Creates a new virtual switch.</summary>
/// <remarks>
/// <para>Creates a switch as a Linux bridge and its record in the store; this needs root (the CAP_NET_ADMIN
/// capability). Private: the VMs on it reach only each other. Internal: also the host, through an interface Hyper-V
/// would call vEthernet (Name). External (-NetAdapterName): the host's network card becomes a port of the bridge, and
/// with -AllowManagementOS $true, the default, the host keeps its addresses and routes, moved to the bridge.</para>
/// <para>An External switch takes one network card: HyperNest has no switch-embedded teaming. Making a switch is all or
/// nothing: a failed step undoes those before it.</para>
/// </remarks>
/// <example>
/// <code>New-VMSwitch -Name Lab -SwitchType Internal</code>
/// <para>Creates a switch the VMs on it and the host share.</para>
/// </example>
/// <example>
/// <code>New-VMSwitch -Name Uplink -NetAdapterName eth1</code>
/// <para>Creates an External switch on eth1; the host keeps eth1's addresses, now on the bridge.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "VMSwitch", SupportsShouldProcess = true, DefaultParameterSetName = NetAdapterNameSet)]
[OutputType(typeof(VMSwitch))]
public sealed class NewVMSwitchCommand : HyperNestCmdlet
{
    public const string NetAdapterNameSet = "NetAdapterName";

    public const string SwitchTypeSet = "SwitchType";

    /// <summary>The switch's name, unique on this host.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("SwitchName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The host's network card an External switch takes (never the one you are connected through without
    /// -AllowManagementOS $true).
    /// </summary>
    [Parameter(ParameterSetName = NetAdapterNameSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string NetAdapterName { get; set; } = string.Empty;

    /// <summary>
    /// Whether the host keeps the network card's addresses (moved to the bridge); Hyper-V's default is true.
    /// </summary>
    [Parameter(ParameterSetName = NetAdapterNameSet)]
    public bool? AllowManagementOS { get; set; }

    /// <summary>Private or Internal (an External switch is made with -NetAdapterName).</summary>
    [Parameter(ParameterSetName = SwitchTypeSet, Mandatory = true)]
    public VirtualSwitchType SwitchType { get; set; }

    /// <summary>Free text kept with the switch.</summary>
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
