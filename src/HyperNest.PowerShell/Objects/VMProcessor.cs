using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>What Get-VMProcessor writes (Hyper-V's VMProcessor).</summary>
public sealed class VMProcessor
{
    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required long Count { get; init; }

    public required bool ExposeVirtualizationExtensions { get; init; }

    public static VMProcessor From(VmInfo vm) => new()
    {
        VMName = vm.Name,
        VMId = vm.Id,
        Count = vm.Configuration.ProcessorCount,
        ExposeVirtualizationExtensions = vm.Configuration.ExposeVirtualizationExtensions,
    };
}
