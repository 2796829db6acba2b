using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.InKernel;
using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.SavedStates;

/// <summary>
/// Everything a paused VM is, but its memory: the body of a state file (<see cref="SavedStateFile"/>). Its memory is
/// the <see cref="GuestMemoryFile"/> with the same <see cref="SaveId"/>. A restore builds the VM from
/// <see cref="Machine"/> and the configuration (no kernel loaded, no ACPI tables written: they are in the memory) and
/// puts every piece back.
/// </summary>
public sealed record VmSavedState
{
    /// <summary>Ties the state file to its memory file.</summary>
    public required Guid SaveId { get; init; }

    public required DateTimeOffset SavedAt { get; init; }

    /// <summary>What the VM was built from; a restore refuses a configuration that differs.</summary>
    public required SavedMachine Machine { get; init; }

    /// <summary>The virtio devices' places (<see cref="DeviceLayout"/>); the rebuilt layout must be the same.</summary>
    public required IReadOnlyList<VirtioSlot> Layout { get; init; }

    public required Uart8250State Console { get; init; }

    public required I8042State Keyboard { get; init; }

    public required AcpiPmState AcpiPm { get; init; }

    /// <summary>One per virtio device, in <see cref="Layout"/> order.</summary>
    public required IReadOnlyList<VirtioDeviceSavedState> Virtio { get; init; }

    /// <summary>The interrupt controllers, the PIT and the KVM clock.</summary>
    public required InKernelDevicesState InKernel { get; init; }

    /// <summary>One per vCPU, in id order.</summary>
    public required IReadOnlyList<VcpuState> Vcpus { get; init; }
}

/// <summary>A virtio device's transport and, for the devices that have one, its own state.</summary>
public sealed record VirtioDeviceSavedState
{
    public required MmioTransportState Transport { get; init; }

    public BalloonState? Balloon { get; init; }

    public MemState? Mem { get; init; }
}

/// <summary>
/// The parts of a VM's configuration its saved state depends on: memory sizes, vCPUs, devices and what the guest
/// sees of them. Boot files are recorded to be shown, not checked: a restore loads no kernel.
/// </summary>
public sealed record SavedMachine
{
    public required ulong MemoryBytes { get; init; }

    public required ulong HotplugMemoryBytes { get; init; }

    public required int VcpuCount { get; init; }

    public required bool ExposeVirtualizationExtensions { get; init; }

    public required IReadOnlyList<SavedDisk> Disks { get; init; }

    /// <summary>The network adapters' MAC addresses, in adapter order.</summary>
    public required IReadOnlyList<string> NetworkAdapters { get; init; }

    public required bool AttachRng { get; init; }

    public required bool AttachBalloon { get; init; }

    public required bool BalloonDeflateOnOom { get; init; }

    /// <summary>The kernel it booted (null: the built-in guest).</summary>
    public string? KernelPath { get; init; }

    public static SavedMachine Of(VmConfig config) => new()
    {
        MemoryBytes = config.MemoryBytes,
        HotplugMemoryBytes = config.HotplugMemoryBytes,
        VcpuCount = config.VcpuCount,
        ExposeVirtualizationExtensions = config.ExposeVirtualizationExtensions,
        Disks = [.. config.Disks.Select(d => new SavedDisk(Path.GetFullPath(d.Path), d.ReadOnly, d.Serial, d.EffectiveFormat))],
        NetworkAdapters = [.. config.NetworkAdapters.Select(a => a.MacAddressText)],
        AttachRng = config.AttachRng,
        AttachBalloon = config.AttachBalloon,
        BalloonDeflateOnOom = config.BalloonDeflateOnOom,
        KernelPath = config.KernelPath is null ? null : Path.GetFullPath(config.KernelPath),
    };

    /// <summary>
    /// How <paramref name="config"/> differs from this machine in a way its saved state cannot follow, as "it was
    /// saved with X and now has Y"; null when it can be restored with it.
    /// </summary>
    public string? Difference(VmConfig config)
    {
        SavedMachine now = Of(config);
        if (now.MemoryBytes != MemoryBytes)
        {
            return $"it was saved with {ByteSize.Format(MemoryBytes)} of memory and now has {ByteSize.Format(now.MemoryBytes)}";
        }

        if (now.VcpuCount != VcpuCount)
        {
            return $"it was saved with {VcpuCount} virtual processor{(VcpuCount == 1 ? "" : "s")} and now has {now.VcpuCount}";
        }

        if (now.ExposeVirtualizationExtensions != ExposeVirtualizationExtensions)
        {
            return $"it was saved with virtualization extensions {(ExposeVirtualizationExtensions ? "exposed" : "hidden")} and now has them {(now.ExposeVirtualizationExtensions ? "exposed" : "hidden")}";
        }

        if (!now.Disks.SequenceEqual(Disks))
        {
            return $"its disks changed since it was saved (then: {Describe(Disks)}; now: {Describe(now.Disks)})";
        }

        if (!now.NetworkAdapters.SequenceEqual(NetworkAdapters, StringComparer.OrdinalIgnoreCase))
        {
            return $"its network adapters changed since it was saved (then: {Describe(NetworkAdapters)}; now: {Describe(now.NetworkAdapters)})";
        }

        return now.AttachRng != AttachRng || now.AttachBalloon != AttachBalloon || now.BalloonDeflateOnOom != BalloonDeflateOnOom
            ? "its memory devices changed since it was saved (Dynamic Memory was turned on or off)"
            : null;
    }

    private static string Describe(IReadOnlyList<SavedDisk> disks) =>
        disks.Count == 0 ? "none" : string.Join(", ", disks.Select(d => d.ReadOnly ? $"{d.Path} (read-only)" : d.Path));

    private static string Describe(IReadOnlyList<string> macs) => macs.Count == 0 ? "none" : string.Join(", ", macs);
}

/// <summary>A disk as the guest saw it: the image, whether it could write, its serial, the image's format.</summary>
public sealed record SavedDisk(string Path, bool ReadOnly, string? Serial, Disks.DiskFormat Format);
