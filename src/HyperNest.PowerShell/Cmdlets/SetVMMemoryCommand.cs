using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures the memory of a virtual machine.</summary>
/// <remarks>
/// <para>Sets a VM's memory with Hyper-V's rules: Minimum, Maximum and Buffer need Dynamic Memory, Minimum is at most
/// Startup and Maximum at least Startup. Sizes are in bytes (PowerShell's 1GB and 512MB are bytes).</para>
/// <para>While a VM runs, as Hyper-V 2016 and later: without Dynamic Memory, -StartupBytes resizes it both ways (up
/// through virtio-mem, down through the balloon, so the guest needs the virtio_mem and virtio_balloon drivers); with
/// it, Maximum may rise, Minimum fall, and Buffer and Priority change, but Startup and the Dynamic Memory switch change
/// only while it is Off. A change the running guest cannot take is undone and reported as an error.</para>
/// <para>With Dynamic Memory, each running VM's worker moves its memory to its demand plus Buffer, within Minimum and
/// Maximum; when the host is short of memory, the VMs of lowest Priority give first. A VM that exposes virtualization
/// extensions cannot start with Dynamic Memory on. Beyond Hyper-V, such a VM can still be resized while it runs.</para>
/// </remarks>
/// <example>
/// <code>Set-VMMemory -VMName web -StartupBytes 2GB</code>
/// <para>Gives web 2 GB; if it runs without Dynamic Memory, at once.</para>
/// </example>
/// <example>
/// <code>Set-VMMemory web -DynamicMemoryEnabled $true -MinimumBytes 512MB -MaximumBytes 4GB -Buffer 20</code>
/// <para>While web is Off: turns Dynamic Memory on between 512 MB and 4 GB, keeping 20 percent above the guest's
/// demand.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMMemory", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMMemory))]
public sealed class SetVMMemoryCommand : VmSettingsCmdlet
{
    public const string VMMemorySet = "VMMemory";

    /// <summary>Memory settings from Get-VMMemory, by value from the pipeline: the VMs they belong to change.</summary>
    [Parameter(ParameterSetName = VMMemorySet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMMemory[] VMMemory { get; set; } = [];

    /// <summary>Turns Dynamic Memory on or off (only while the VM is Off).</summary>
    [Parameter]
    public bool? DynamicMemoryEnabled { get; set; }

    /// <summary>
    /// The memory the VM starts with, in bytes; without Dynamic Memory, also what a running VM is resized to.
    /// </summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? StartupBytes { get; set; }

    /// <summary>With Dynamic Memory, the least memory the VM keeps, in bytes (at most StartupBytes).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MinimumBytes { get; set; }

    /// <summary>With Dynamic Memory, the most memory the VM gets, in bytes (at least StartupBytes).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MaximumBytes { get; set; }

    /// <summary>
    /// With Dynamic Memory, how much memory above the guest's demand it gets, in percent of the demand (5 to 2000).
    /// </summary>
    [Parameter]
    public int? Buffer { get; set; }

    /// <summary>
    /// With Dynamic Memory, which VMs give memory first when the host is short: the lowest priority first (0 to 10000).
    /// </summary>
    [Parameter]
    public int? Priority { get; set; }

    protected override IEnumerable<(Guid Id, string Name)>? DeviceVms =>
        ParameterSetName == VMMemorySet ? VMMemory.Select(m => (m.VMId, m.VMName)) : null;

    protected override void ProcessRecord()
    {
        var changes = new MemoryChanges
        {
            DynamicMemoryEnabled = DynamicMemoryEnabled,
            StartupBytes = (ulong?)StartupBytes,
            MinimumBytes = (ulong?)MinimumBytes,
            MaximumBytes = (ulong?)MaximumBytes,
            Buffer = Buffer,
            Priority = Priority,
        };
        ChangeSettings("Set memory", vm => Manager.SetMemory(vm.Id.ToString(), changes), Objects.VMMemory.From);
    }
}
