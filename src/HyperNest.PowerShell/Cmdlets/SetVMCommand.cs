using System.Management.Automation;
using HyperNest.Management;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures a virtual machine.</summary>
/// <remarks>
/// <para>Changes VM-wide settings: the processor count and memory (only while the VM is Off, as Hyper-V's Set-VM
/// requires; Set-VMMemory changes what a running VM can take), notes, the automatic start and stop actions, the name
/// (-NewVMName, in any state) and HyperNest's accelerator (only while Off). Every change is checked before any is
/// stored: a refused one leaves the VM as it was.</para>
/// <para>The automatic actions take effect through hnest host start-vms and hnest host stop-vms, which the
/// hypernest.service unit (hnest host install-service) runs when the host starts and shuts down. HyperNest has none of
/// Hyper-V's other Set-VM settings (checkpoint type, smart paging, critical error actions).</para>
/// </remarks>
/// <example>
/// <code>Set-VM -Name web -AutomaticStopAction ShutDown -AutomaticStartAction Start -AutomaticStartDelay 30</code>
/// <para>web is shut down through its power button when the host shuts down, and started 30 seconds after the host starts.</para>
/// </example>
/// <example>
/// <code>Stop-VM -Name web -Passthru | Set-VM -ProcessorCount 2 -DynamicMemory -MemoryMaximumBytes 2GB -Passthru | Start-VM</code>
/// <para>Stops web, gives it two virtual processors and Dynamic Memory up to 2 GB, and starts it again.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SetVMCommand : VmNameCmdlet
{
    /// <summary>The number of virtual processors; only while the VM is Off.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public long? ProcessorCount { get; set; }

    /// <summary>Makes the VM use Dynamic Memory; only while the VM is Off.</summary>
    [Parameter]
    public SwitchParameter DynamicMemory { get; set; }

    /// <summary>Makes the VM use static memory (its startup memory); only while the VM is Off.</summary>
    [Parameter]
    public SwitchParameter StaticMemory { get; set; }

    /// <summary>The memory the VM starts with, in bytes; with static memory, all it has. Only while the VM is Off.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MemoryStartupBytes { get; set; }

    /// <summary>The least memory Dynamic Memory leaves the VM, in bytes; only while the VM is Off.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MemoryMinimumBytes { get; set; }

    /// <summary>The most memory Dynamic Memory gives the VM, in bytes; only while the VM is Off.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? MemoryMaximumBytes { get; set; }

    /// <summary>What the VM does when the host starts: Nothing, StartIfRunning (the default) or Start.</summary>
    [Parameter]
    public StartAction? AutomaticStartAction { get; set; }

    /// <summary>Seconds after the host starts before the VM's automatic start.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? AutomaticStartDelay { get; set; }

    /// <summary>What the running VM undergoes when the host shuts down: TurnOff, Save (the default) or ShutDown.</summary>
    [Parameter]
    public StopAction? AutomaticStopAction { get; set; }

    /// <summary>Notes kept with the VM; an empty string clears them.</summary>
    [Parameter]
    public string? Notes { get; set; }

    /// <summary>A new name for the VM, as Rename-VM gives it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewVMName { get; set; }

    /// <summary>Where the VM runs from its next start: Auto, Kvm or Emulated (HyperNest's own); only while the VM is Off.</summary>
    [Parameter]
    public Accelerator? Accelerator { get; set; }

    protected override void ProcessRecord()
    {
        if (DynamicMemory && StaticMemory)
        {
            ThrowTerminatingError(ErrorRecords.From(new VmValidationException("-DynamicMemory and -StaticMemory cannot be given together."), null));
        }

        var changes = new VmChanges
        {
            ProcessorCount = (int?)ProcessorCount,
            DynamicMemoryEnabled = DynamicMemory ? true : StaticMemory ? false : null,
            MemoryStartupBytes = (ulong?)MemoryStartupBytes,
            MemoryMinimumBytes = (ulong?)MemoryMinimumBytes,
            MemoryMaximumBytes = (ulong?)MemoryMaximumBytes,
            AutomaticStartAction = AutomaticStartAction,
            AutomaticStartDelay = AutomaticStartDelay,
            AutomaticStopAction = AutomaticStopAction,
            Notes = Notes,
            NewName = NewVMName,
            Accelerator = Accelerator,
        };
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcess(vm.Name, Describe(changes)) && Attempt(vm.Name, () => Manager.SetVm(vm.Id.ToString(), changes)) is { } changed && Passthru)
            {
                WriteObject(ToObject(changed));
            }
        }
    }

    /// <summary>What -WhatIf and -Confirm say: "Set accelerator to Emulated, notes".</summary>
    private static string Describe(VmChanges changes)
    {
        string?[] parts =
        [
            changes.ProcessorCount is { } count ? $"processor count to {count}" : null,
            changes.Memory.IsEmpty ? null : "memory",
            changes.Notes is null ? null : "notes",
            changes.AutomaticStartAction is { } start ? $"automatic start action to {start}" : null,
            changes.AutomaticStartDelay is { } delay ? $"automatic start delay to {delay} s" : null,
            changes.AutomaticStopAction is { } stop ? $"automatic stop action to {stop}" : null,
            changes.NewName is { } name ? $"name to \"{name}\"" : null,
            changes.Accelerator is { } accelerator ? $"accelerator to {accelerator}" : null,
        ];
        string[] given = [.. parts.OfType<string>()];
        return given.Length == 0 ? "Set virtual machine" : "Set " + string.Join(", ", given);
    }
}
