using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices;

/// <summary>
/// One virtio device's place: its MMIO window (virtio 1.2 §4.2) and interrupt line, and which device it is.
/// </summary>
/// <param name="Index">Its position among the VM's virtio devices: the ACPI name's number and the window's index.</param>
/// <param name="Kind">"blk", "net", "rng", "balloon" or "mem".</param>
/// <param name="Number">Which of its kind: the disk or network adapter's position in the configuration, else 0.</param>
/// <param name="MmioAddress">Guest physical address of its 4 KiB register window.</param>
/// <param name="Gsi">Its interrupt line (an ISA line the platform leaves free).</param>
public sealed record VirtioSlot(int Index, string Kind, int Number, ulong MmioAddress, uint Gsi);

/// <summary>
/// Where a VM's devices sit, decided from its configuration alone and in a fixed order — disks, network adapters, the
/// entropy device, the memory balloon, hot-pluggable memory — so that a VM rebuilt from the same configuration (a
/// restore) puts every device where its guest found it, and a saved layout can be checked against the rebuilt one.
/// </summary>
public sealed class DeviceLayout
{
    /// <summary>ISA interrupt lines free for virtio devices: not the PIT (0/2), COM1 (4), RTC (8) or the ACPI SCI (9).</summary>
    public static readonly IReadOnlyList<uint> VirtioGsis = [5, 6, 7, 10, 11, 12, 13, 14, 15];

    /// <summary>The Generic Event Device's line: IRQ 8 is free, as this platform has no CMOS RTC.</summary>
    public const uint GedGsi = 8;

    private DeviceLayout(IReadOnlyList<VirtioSlot> virtio) => Virtio = virtio;

    /// <summary>The virtio devices in bus order.</summary>
    public IReadOnlyList<VirtioSlot> Virtio { get; }

    /// <summary>The layout of <paramref name="config"/>'s devices.</summary>
    /// <exception cref="VmBuildException">More virtio devices than free interrupt lines.</exception>
    public static DeviceLayout For(VmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var kinds = new List<(string Kind, int Number)>();
        kinds.AddRange(Enumerable.Range(0, config.Disks.Count).Select(n => ("blk", n)));
        kinds.AddRange(Enumerable.Range(0, config.NetworkAdapters.Count).Select(n => ("net", n)));
        if (config.AttachRng)
        {
            kinds.Add(("rng", 0));
        }

        if (config.AttachBalloon)
        {
            kinds.Add(("balloon", 0));
        }

        if (config.HotplugMemoryBytes != 0)
        {
            kinds.Add(("mem", 0));
        }

        if (kinds.Count > VirtioGsis.Count)
        {
            throw new VmBuildException(
                $"too many devices: disks, network adapters, the entropy device, the memory balloon and hot-pluggable memory together are at most {VirtioGsis.Count}");
        }

        return new DeviceLayout([.. kinds.Select((k, index) =>
            new VirtioSlot(index, k.Kind, k.Number, MemoryLayout.VirtioMmioBase + ((ulong)index * MemoryLayout.VirtioMmioSize), VirtioGsis[index]))]);
    }

    /// <summary>The slot of the <paramref name="number"/>th device of <paramref name="kind"/>.</summary>
    public VirtioSlot Slot(string kind, int number = 0) => Virtio.Single(s => s.Kind == kind && s.Number == number);
}
