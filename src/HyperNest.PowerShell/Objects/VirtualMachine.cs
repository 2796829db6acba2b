using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Get-VM writes, with Hyper-V's property names (Microsoft.HyperV.PowerShell.VirtualMachine), plus HyperNest's
/// boot source, accelerator and run details. A snapshot: cmdlets that take it re-read the VM by <see cref="Id"/>.
/// </summary>
public sealed class VirtualMachine
{
    public required string Name { get; init; }

    public required Guid Id { get; init; }

    public string VMName => Name;

    public Guid VMId => Id;

    public required VmState State { get; init; }

    public required string Status { get; init; }

    /// <summary>Percent of the host's CPU time, averaged since the VM started.</summary>
    public required int CPUUsage { get; init; }

    public required long MemoryAssigned { get; init; }

    /// <summary>Bytes the guest uses (from its balloon statistics) while it runs with Dynamic Memory; 0 otherwise.</summary>
    public long MemoryDemand { get; init; }

    /// <summary>OK, Low (the buffer is short) or Warning (below demand) for a running VM with Dynamic Memory; "" otherwise.</summary>
    public string MemoryStatus { get; init; } = "";

    /// <summary>What keeps the running VM from the memory it should have, in words; null if nothing.</summary>
    public string? MemoryProblem { get; init; }

    public required long MemoryStartup { get; init; }

    public required long MemoryMinimum { get; init; }

    public required long MemoryMaximum { get; init; }

    public required bool DynamicMemoryEnabled { get; init; }

    public required long ProcessorCount { get; init; }

    public required bool ExposeVirtualizationExtensions { get; init; }

    public required TimeSpan Uptime { get; init; }

    public required DateTime CreationTime { get; init; }

    /// <summary>The VM's folder in the store.</summary>
    public required string Path { get; init; }

    public required string ComputerName { get; init; }

    public required VMNetworkAdapter[] NetworkAdapters { get; init; }

    public required HardDiskDrive[] HardDrives { get; init; }

    /// <summary>The bzImage the VM boots; null for the built-in guest.</summary>
    public string? KernelPath { get; init; }

    public string? InitrdPath { get; init; }

    public string? KernelArguments { get; init; }

    /// <summary>The setting (Set-VM -Accelerator): Auto, Kvm or Emulated.</summary>
    public required Accelerator Accelerator { get; init; }

    /// <summary>What the current or last run chose, "kvm" or "emulated"; null if the VM never ran.</summary>
    public string? RunningAccelerator { get; init; }

    /// <summary>How the last run ended; null if the VM never ran.</summary>
    public string? LastStopReason { get; init; }

    /// <summary>The worker process running the VM; null when it is not running.</summary>
    public int? WorkerPid { get; init; }

    /// <summary>Set-VM -Notes; "" when there are none (as Hyper-V shows them).</summary>
    public required string Notes { get; init; }

    public required StartAction AutomaticStartAction { get; init; }

    /// <summary>Seconds after the host starts before the automatic start.</summary>
    public required int AutomaticStartDelay { get; init; }

    public required StopAction AutomaticStopAction { get; init; }

    public static VirtualMachine From(VmInfo vm, string folder)
    {
        VmConfiguration config = vm.Configuration;
        return new VirtualMachine
        {
            Name = vm.Name,
            Id = vm.Id,
            State = vm.State,
            Status = vm.Status,
            CPUUsage = vm.CpuUsage,
            MemoryAssigned = (long)vm.MemoryAssignedBytes,
            MemoryDemand = (long)vm.MemoryDemandBytes,
            MemoryStatus = vm.MemoryStatus,
            MemoryProblem = vm.MemoryProblem,
            MemoryStartup = (long)config.Memory.StartupBytes,
            MemoryMinimum = (long)config.Memory.MinimumBytes,
            MemoryMaximum = (long)config.Memory.MaximumBytes,
            DynamicMemoryEnabled = config.Memory.DynamicMemoryEnabled,
            ProcessorCount = config.ProcessorCount,
            ExposeVirtualizationExtensions = config.ExposeVirtualizationExtensions,
            Uptime = vm.Uptime,
            CreationTime = config.CreationTime.LocalDateTime,
            Path = folder,
            ComputerName = Environment.MachineName,
            NetworkAdapters = VMNetworkAdapter.AllOf(vm),
            HardDrives = HardDiskDrive.AllOf(vm),
            KernelPath = config.Boot.KernelPath,
            InitrdPath = config.Boot.InitrdPath,
            KernelArguments = config.Boot.KernelArguments,
            Accelerator = config.Accelerator,
            RunningAccelerator = vm.RunningAccelerator,
            LastStopReason = vm.LastStopReason,
            WorkerPid = vm.WorkerPid,
            Notes = config.Notes ?? "",
            AutomaticStartAction = config.AutomaticStartAction,
            AutomaticStartDelay = config.AutomaticStartDelay,
            AutomaticStopAction = config.AutomaticStopAction,
        };
    }

    public override string ToString() => Name;
}
