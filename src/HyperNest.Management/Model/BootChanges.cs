namespace HyperNest.Management.Model;

/// <summary>Changes to the boot source; <see cref="BuiltIn"/> goes back to the built-in guest.</summary>
public sealed record BootChanges
{
    public string? KernelPath { get; init; }

    public string? InitrdPath { get; init; }

    public string? KernelArguments { get; init; }

    public bool BuiltIn { get; init; }
}
