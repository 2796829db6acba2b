namespace HyperNest.Vmm.Boot;

/// <summary>Where the loaded kernel is entered and where its zero page is.</summary>
public readonly record struct LinuxBootInfo(ulong EntryPoint, ulong ZeroPage, ulong InitrdAddress, ulong InitrdSize);
