using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// HyperNest's own cmdlet (Hyper-V boots firmware, HyperNest boots a kernel): Set-VMBootSource [-VMName] &lt;String[]&gt; |
/// [-VM] &lt;VirtualMachine[]&gt; [-KernelPath &lt;String&gt;] [-InitrdPath &lt;String&gt;] [-KernelArguments &lt;String&gt;]
/// [-BuiltIn] [-Passthru]. The VM must be Off.
/// </summary>
[Cmdlet(VerbsCommon.Set, "VMBootSource", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SetVMBootSourceCommand : VmSettingsCmdlet
{
    /// <summary>A Linux bzImage.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KernelPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InitrdPath { get; set; }

    /// <summary>The kernel command line (for the built-in guest too: hnest.hold=1 keeps it running).</summary>
    [Parameter]
    public string? KernelArguments { get; set; }

    /// <summary>Boot the built-in guest again.</summary>
    [Parameter]
    public SwitchParameter BuiltIn { get; set; }

    protected override void ProcessRecord()
    {
        var changes = new BootChanges
        {
            KernelPath = KernelPath is null ? null : GetUnresolvedProviderPathFromPSPath(KernelPath),
            InitrdPath = InitrdPath is null ? null : GetUnresolvedProviderPathFromPSPath(InitrdPath),
            KernelArguments = KernelArguments,
            BuiltIn = BuiltIn,
        };
        ChangeSettings("Set boot source", vm => Manager.SetBoot(vm.Id.ToString(), changes), ToObject);
    }
}
