namespace HyperNest.Lab.Packages;

/// <summary>An unpacked Debian kernel package: its bzImage and its module tree.</summary>
public sealed record KernelPackage(string Version, string Vmlinuz, string ModulesDirectory);
