using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Sets the kernel, initramfs and kernel command line a virtual machine boots.</summary>
/// <remarks>
/// <para>HyperNest's own cmdlet: a Hyper-V VM boots through firmware from a disk, a HyperNest VM boots a Linux kernel
/// directly (a bzImage, boot protocol 2.06 or later), with an optional initramfs and command line, or HyperNest's small
/// built-in guest when it has no kernel. HyperNest adds console=ttyS0 to the command line; the guest's kernel needs the
/// virtio_mmio driver (and virtio_blk for disks), built in or loaded from its initramfs.</para>
/// <para>Paths are resolved from the current folder and checked now. The VM must be Off. Parameters not given keep
/// their setting.</para>
/// </remarks>
/// <example>
/// <code>Set-VMBootSource -VMName web -KernelPath /boot/vmlinuz -InitrdPath /boot/initrd.img -KernelArguments 'root=/dev/vda rw'</code>
/// <para>Boots web from this kernel and initramfs, with its root file system on its first disk.</para>
/// </example>
/// <example>
/// <code>Set-VMBootSource web -BuiltIn</code>
/// <para>Boots the built-in guest again.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMBootSource", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SetVMBootSourceCommand : VmSettingsCmdlet
{
    /// <summary>The Linux kernel to boot: a bzImage file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KernelPath { get; set; }

    /// <summary>The initramfs (initrd) the kernel gets.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InitrdPath { get; set; }

    /// <summary>The kernel command line (for the built-in guest too: hnest.hold=1 keeps it running).</summary>
    [Parameter]
    public string? KernelArguments { get; set; }

    /// <summary>Boots the built-in guest again instead of a kernel.</summary>
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
