using System.Management.Automation;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures a virtual machine.</summary>
/// <remarks>
/// <para>Of Hyper-V's VM-wide settings HyperNest has none yet; its own is the accelerator, where the VM's processors
/// run: Auto (this host's KVM when it can run the guest, else the emulated host), Kvm, or Emulated (QEMU emulating an
/// AMD host in software: slow, but needs no KVM). It changes only while the VM is Off; a VM in another state is an
/// InvalidOperation error. Get-VM shows the setting (Accelerator) and what the last run chose
/// (RunningAccelerator).</para>
/// </remarks>
/// <example>
/// <code>Set-VM -Name web -Accelerator Emulated</code>
/// <para>Runs web on the emulated host from its next start.</para>
/// </example>
/// <example>
/// <code>Get-VM | Set-VM -Accelerator Auto -Passthru</code>
/// <para>Lets every VM choose again, and shows them.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SetVMCommand : VmNameCmdlet
{
    /// <summary>Where the VM's processors run from its next start: Auto, Kvm or Emulated (HyperNest's own).</summary>
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
