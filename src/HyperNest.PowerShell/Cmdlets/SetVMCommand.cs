using System.Management.Automation;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Accelerator &lt;Accelerator&gt;] [-Passthru]: VM-wide
/// settings. Of Hyper-V's, HyperNest has none yet; its own is the accelerator (Auto, Kvm, Emulated), changed only
/// while the VM is Off.
/// </summary>
[Cmdlet(VerbsCommon.Set, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SetVMCommand : VmNameCmdlet
{
    /// <summary>Where the VM runs from its next start.</summary>
    [Parameter]
    public Accelerator? Accelerator { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (!ShouldProcess(vm.Name, Accelerator is { } accelerator ? $"Set accelerator to {accelerator}" : "Set virtual machine"))
            {
                continue;
            }

            if (Attempt(vm.Name, () => Change(vm)) is { } changed && Passthru)
            {
                WriteObject(ToObject(changed));
            }
        }
    }

    private VmInfo Change(VmInfo vm) => Accelerator is { } accelerator ? Manager.SetAccelerator(vm.Id.ToString(), accelerator) : vm;
}
