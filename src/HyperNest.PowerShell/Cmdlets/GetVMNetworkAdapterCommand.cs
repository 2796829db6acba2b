using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the virtual network adapters of a virtual machine.</summary>
/// <remarks>
/// <para>Writes one VMNetworkAdapter object per adapter: its name, MAC address (and whether it is dynamic), MAC address
/// spoofing and the switch it is connected to. While the VM runs, also its port's Status, the IP addresses HyperNest
/// learned from the guest's own traffic (DHCP, ARP, neighbour discovery: no guest agent) and the frames dropped for a
/// spoofed source address.</para>
/// <para>-All lists every VM's adapters; -Name keeps the adapters of that name (wildcards).</para>
/// </remarks>
/// <example>
/// <code>Get-VMNetworkAdapter -VMName web</code>
/// <para>Lists web's adapters.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -All | Where-Object SwitchName -eq LabSwitch</code>
/// <para>Lists every adapter connected to the switch LabSwitch.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -VMName web | Set-VMNetworkAdapter -MacAddressSpoofing On</code>
/// <para>Turns MAC address spoofing on for each of web's adapters.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMNetworkAdapter", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class GetVMNetworkAdapterCommand : VmDeviceCmdlet
{
    public const string AllSet = "All";

    /// <summary>Gets the adapters of every VM.</summary>
    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    /// <summary>Only the adapters with this name (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkAdapterNameCompleter))]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<VmInfo> vms = ParameterSetName == AllSet ? Attempt("VM", () => Manager.GetVms().Vms) ?? [] : TargetVms();
        foreach (VmInfo vm in vms)
        {
            IReadOnlyList<VMNetworkAdapter> adapters = [.. VMNetworkAdapter.AllOf(vm, Manager)];
            WriteObject(Name is null ? adapters : NameMatch.Find(Name, adapters, a => a.Name), enumerateCollection: true);
        }
    }
}
