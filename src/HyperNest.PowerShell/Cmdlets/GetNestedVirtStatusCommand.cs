using System.Management.Automation;
using HyperNest.Management.Nested;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Get-NestedVirtStatus [[-VMName] &lt;String[]&gt;]: can this host run VMs inside its VMs (YES/NO with every
/// reason and its fix), and is each VM set up for it. Objects for scripts (<c>(Get-NestedVirtStatus).Host.Supported</c>);
/// the shipped Get-NestedVirtStatus.ps1 prints them in colour for people.
/// </summary>
[Cmdlet(VerbsCommon.Get, "NestedVirtStatus")]
[OutputType(typeof(NestedVirtStatus))]
public sealed class GetNestedVirtStatusCommand : HyperNestCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? VMName { get; set; }

    protected override void EndProcessing()
    {
        NestedHostVerdict host = NestedHostVerdict.Evaluate();
        IReadOnlyList<NestedVmVerdict> vms = VMName is null
            ? Manager.GetNestedVerdicts(host)
            : [.. FindVms(VMName).Select(vm => NestedVmVerdict.For(vm, host))];
        WriteObject(new NestedVirtStatus(host, vms));
    }
}
