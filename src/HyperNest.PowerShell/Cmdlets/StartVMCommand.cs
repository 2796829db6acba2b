using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Starts a virtual machine.</summary>
/// <remarks>
/// <para>Starts each VM that is Off: its own background process (a worker, the hnest binary) boots it, on the
/// accelerator its Accelerator setting picks (Auto: this host's KVM when it can run the guest, else the emulated host).
/// A Saved VM continues from its saved state instead of booting; a Paused VM is resumed.</para>
/// <para>A VM that is already Running is a warning, not an error. Starting is refused, in one error naming the reason,
/// when the VM's settings cannot run: for example a VM that exposes virtualization extensions with Dynamic Memory on,
/// or such a VM on a host that cannot expose them (Get-NestedVirtStatus says why).</para>
/// </remarks>
/// <example>
/// <code>Start-VM -Name web</code>
/// <para>Starts the VM named web.</para>
/// </example>
/// <example>
/// <code>Get-VM web* | Start-VM -Passthru</code>
/// <para>Starts every VM whose name begins with web and writes each one, now Running.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class StartVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Start", vm =>
    {
        if (vm.State == VmState.Off && HnestBinary.Locate() is null)
        {
            throw new FileNotFoundException(HnestBinary.NotFoundMessage);
        }

        return Manager.Start(vm.Id.ToString());
    });
}
