using System.Management.Automation;
using HyperNest.Management.Nested;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Get-NestedVirtStatus [[-VMName] &lt;String[]&gt;]: can this host run VMs inside its VMs (YES/NO with every
/// reason and its fix), can the emulated host (QEMU TCG, slow) run them instead, what <c>--accel auto</c> picks, and
/// is each VM set up for it. Objects for scripts (<c>(Get-NestedVirtStatus).Host.Supported</c>,
/// <c>.Emulated.Supported</c>, <c>.AutoAccelerator</c>); the shipped Get-NestedVirtStatus.ps1 prints them in colour
/// for people.
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
        NestedHostStatus status = NestedHostStatus.Evaluate();
        NestedHostVerdict host = status.Host;
        IReadOnlyList<NestedVmVerdict> vms = VMName is null
            ? Manager.GetNestedVerdicts(host)
            : [.. FindVms(VMName).Select(vm => NestedVmVerdict.For(vm, host))];
        WriteObject(new NestedVirtStatus(status, vms));
    }
}
