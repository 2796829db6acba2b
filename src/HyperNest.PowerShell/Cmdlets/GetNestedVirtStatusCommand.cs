using System.Management.Automation;
using HyperNest.Management.Nested;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets whether this host, and each virtual machine, can run nested virtualization.</summary>
/// <remarks>
/// <para>HyperNest's own cmdlet. Says whether this host can expose virtualization extensions to its VMs
/// (Host.Supported, with every reason and its fix, root cause first), whether the emulated host can run them instead
/// (Emulated.Supported: QEMU emulating an AMD host with SVM, slow), which accelerator Auto picks (AutoAccelerator), and
/// for each VM whether it is set up for nesting (VMs, with what is missing). The facts behind the verdicts (/dev/kvm,
/// the KVM module and its nested parameter, CPU flags, memory) are in Host.Facts.</para>
/// <para>It returns objects for scripts; the Get-NestedVirtStatus.ps1 script shipped with the module prints them in
/// colour, and hnest nested status prints the same.</para>
/// </remarks>
/// <example>
/// <code>Get-NestedVirtStatus</code>
/// <para>Returns this host's verdict and every VM's.</para>
/// </example>
/// <example>
/// <code>(Get-NestedVirtStatus).Host.Reasons | Format-List Message, Fix</code>
/// <para>Shows why this host cannot expose virtualization extensions, and what to do.</para>
/// </example>
/// <example>
/// <code>Get-NestedVirtStatus -VMName hv | Select-Object -ExpandProperty VMs</code>
/// <para>Shows whether hv is ready to run its own VMs.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "NestedVirtStatus")]
[OutputType(typeof(NestedVirtStatus))]
public sealed class GetNestedVirtStatusCommand : HyperNestCmdlet
{
    /// <summary>Only these VMs' verdicts (wildcards allowed); without it, every VM's.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
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
