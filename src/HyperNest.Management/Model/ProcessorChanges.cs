namespace HyperNest.Management.Model;

/// <summary>Set-VMProcessor's parameters; null means "leave as is".</summary>
public sealed record ProcessorChanges
{
    public int? Count { get; init; }

    public bool? ExposeVirtualizationExtensions { get; init; }
}
