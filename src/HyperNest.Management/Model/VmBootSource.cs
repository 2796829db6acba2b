namespace HyperNest.Management.Model;

/// <summary>What the VM boots: the built-in guest when <see cref="KernelPath"/> is null, else a Linux bzImage.</summary>
public sealed record VmBootSource
{
    public string? KernelPath { get; init; }

    public string? InitrdPath { get; init; }

    public string? KernelArguments { get; init; }

    public bool IsBuiltIn => KernelPath is null;
}
