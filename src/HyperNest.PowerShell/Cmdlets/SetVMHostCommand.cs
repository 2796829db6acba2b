using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures a Hyper-V host.</summary>
/// <remarks>
/// <para>Sets the dynamic MAC address range (both ends unicast, the minimum not above the maximum), from which every
/// new network adapter with a dynamic address takes one, and the default folder of virtual hard disks (an existing
/// folder). The settings are kept in the store (host.json) and apply to every VM in it.</para>
/// <para>VirtualMachinePath is where the store keeps VMs (one folder per VM, named by its id) and cannot point
/// elsewhere: it is accepted as it is, and any other folder is refused (InvalidArgument). To keep VMs elsewhere, use
/// another store (HYPERNEST_HOME). Nothing is stored unless every value is valid.</para>
/// </remarks>
/// <example>
/// <code>Set-VMHost -MacAddressMinimum 00155D020600 -MacAddressMaximum 00155D0206FF</code>
/// <para>New network adapters get dynamic MAC addresses between 00155D020600 and 00155D0206FF.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMHost", SupportsShouldProcess = true)]
[OutputType(typeof(VMHost))]
public sealed class SetVMHostCommand : HyperNestCmdlet
{
    /// <summary>The lowest dynamic MAC address, as 12 hex digits (00155D020600).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MacAddressMinimum { get; set; }

    /// <summary>The highest dynamic MAC address, as 12 hex digits (00155D0206FF).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MacAddressMaximum { get; set; }

    /// <summary>Where VMs are kept: only the store's own folder is accepted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VirtualMachinePath { get; set; }

    /// <summary>The default folder of virtual hard disks; it must exist.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VirtualHardDiskPath { get; set; }

    /// <summary>Writes the host as changed.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void EndProcessing()
    {
        var changes = new HostChanges
        {
            MacAddressMinimum = MacAddressMinimum,
            MacAddressMaximum = MacAddressMaximum,
            VirtualMachinePath = VirtualMachinePath is null ? null : GetUnresolvedProviderPathFromPSPath(VirtualMachinePath),
            VirtualHardDiskPath = VirtualHardDiskPath is null ? null : GetUnresolvedProviderPathFromPSPath(VirtualHardDiskPath),
        };
        if (ShouldProcess(Environment.MachineName, "Set host") && Attempt("VMHost", () => Manager.SetHost(changes)) is { } host && Passthru)
        {
            WriteObject(VMHost.From(host));
        }
    }
}
