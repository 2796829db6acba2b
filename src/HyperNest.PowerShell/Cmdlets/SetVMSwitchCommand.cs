using System.Management.Automation;
using HyperNest.Management.Networking;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures a virtual switch.</summary>
/// <remarks>
/// <para>Changes a switch's type, network card, AllowManagementOS and notes; this needs root (CAP_NET_ADMIN).
/// -NetAdapterName makes the switch External on that card; -SwitchType Internal or Private on an External switch gives
/// its card back to the host, addresses and routes included. Every change is all or nothing.</para>
/// </remarks>
/// <example>
/// <code>Set-VMSwitch -Name Lab -NetAdapterName eth1</code>
/// <para>Makes Lab an External switch on eth1.</para>
/// </example>
/// <example>
/// <code>Get-VMSwitch Uplink | Set-VMSwitch -SwitchType Internal -Passthru</code>
/// <para>Gives Uplink's network card back to the host; the switch stays, as Internal.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMSwitch", SupportsShouldProcess = true, DefaultParameterSetName = NameTypeSet)]
[OutputType(typeof(VMSwitch))]
public sealed class SetVMSwitchCommand : VmSwitchCmdlet
{
    public const string NameTypeSet = "SwitchName_SwitchType";

    public const string NameNicSet = "SwitchName_NetAdapterName";

    public const string ObjectTypeSet = "SwitchObject_SwitchType";

    public const string ObjectNicSet = "SwitchObject_NetAdapterName";

    /// <summary>The names of the switches to change (wildcards allowed).</summary>
    [Parameter(ParameterSetName = NameTypeSet, Mandatory = true, Position = 0)]
    [Parameter(ParameterSetName = NameNicSet, Mandatory = true, Position = 0)]
    [Alias("SwitchName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SwitchNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Switch objects, as Get-VMSwitch writes them (also from the pipeline).</summary>
    [Parameter(ParameterSetName = ObjectTypeSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = ObjectNicSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSwitch[] VMSwitch { get; set; } = [];

    /// <summary>The host's network card the switch takes: it becomes External.</summary>
    [Parameter(ParameterSetName = NameNicSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = ObjectNicSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? NetAdapterName { get; set; }

    /// <summary>Internal or Private: an External switch gives its network card back.</summary>
    [Parameter(ParameterSetName = NameTypeSet)]
    [Parameter(ParameterSetName = ObjectTypeSet)]
    public VirtualSwitchType? SwitchType { get; set; }

    /// <summary>For an External switch: whether the host keeps the network card's addresses (on the bridge).</summary>
    [Parameter]
    public bool? AllowManagementOS { get; set; }

    /// <summary>Free text kept with the switch.</summary>
    [Parameter]
    public string? Notes { get; set; }

    /// <summary>Writes each switch, as changed, to the pipeline.</summary>
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
