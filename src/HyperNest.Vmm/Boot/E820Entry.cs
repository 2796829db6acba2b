namespace HyperNest.Vmm.Boot;

/// <summary>One entry of the BIOS e820 memory map the zero page carries (boot_params.e820_table).</summary>
public readonly record struct E820Entry(ulong Address, ulong Size, E820Type Type)
{
    public const int SizeInZeroPage = 20;
}
