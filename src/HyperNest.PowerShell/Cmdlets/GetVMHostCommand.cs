using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets a Hyper-V host.</summary>
/// <remarks>
/// <para>This host as HyperNest sees it: its logical processors and memory, the dynamic MAC address range new network
/// adapters draw from, where VMs are kept (the store's folder of VMs) and the default folder of virtual hard disks;
/// and HyperNest's own: the store, what the auto accelerator runs a Linux guest on here, and whether nested
/// virtualization (ExposeVirtualizationExtensions) works on this host's KVM.</para>
/// </remarks>
/// <example>
/// <code>Get-VMHost | Format-List</code>
/// <para>Shows every property of this host.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMHost")]
[OutputType(typeof(VMHost))]
public sealed class GetVMHostCommand : HyperNestCmdlet
{
    protected override void EndProcessing()
    {
        if (Attempt("VMHost", Manager.GetHost) is { } host)
        {
            WriteObject(VMHost.From(host));
        }
    }
}
