namespace HyperNest.Vmm.Boot;

/// <summary>e820 range types (ACPI "Address Range Descriptor Structure").</summary>
public enum E820Type : uint
{
    Ram = 1,
    Reserved = 2,
    Acpi = 3,
}
