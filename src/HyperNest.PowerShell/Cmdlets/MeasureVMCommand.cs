using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Reports resource utilization data for one or more virtual machines.</summary>
/// <remarks>
/// <para>For a running or paused VM: the average processor use in MHz (its vCPU threads' CPU time over the period,
/// times one host processor's clock), the memory assigned to it (average, most, least, sampled every second), its
/// disks' total size and the bytes its guest read and wrote, and the bytes its network adapters took in and sent
/// out. The period is the VM's current run.</para>
/// <para>Unlike Hyper-V, metering is always on: HyperNest's counters cost nothing measurable, so there is no
/// Enable-VMResourceMetering, and the figures start again with each start of the VM. A VM that is not running is
/// refused (InvalidOperation): its figures are kept by its worker. On the emulated accelerator the figures are those
/// of the VM inside the emulated host.</para>
/// </remarks>
/// <example>
/// <code>Measure-VM -Name web</code>
/// <para>Shows web's average CPU in MHz, memory, total disk size and network traffic since it started.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "VM", DefaultParameterSetName = NameSet)]
[OutputType(typeof(VMMeteringReportForVirtualMachine))]
public sealed class MeasureVMCommand : VmTargetCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (Attempt(vm.Name, () => Manager.Measure(vm.Id.ToString())) is { } measured)
            {
                WriteObject(VMMeteringReportForVirtualMachine.From(measured));
            }
        }
    }
}
