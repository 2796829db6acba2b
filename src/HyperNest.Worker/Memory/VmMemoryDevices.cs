using HyperNest.Vmm;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Worker.Memory;

/// <summary>
/// <see cref="IGuestMemoryDevices"/> over a VM's own devices: its virtio-balloon below boot memory, its virtio-mem
/// above it. Either may be missing (then the guest cannot go that way).
/// </summary>
internal sealed class VmMemoryDevices(VirtualMachine vm) : IGuestMemoryDevices
{
    /// <summary>Statistics older than this say nothing about the guest's demand now.</summary>
    public const long FreshStatisticsMs = 10_000;

    private Balloon? Balloon => vm.Balloon;

    private Mem? Hotplug => vm.HotplugMemory;

    public ulong BootBytes => vm.Config.MemoryBytes;

    public ulong HotplugCapacityBytes => Hotplug?.RegionSize ?? 0;

    public ulong AssignedBytes
    {
        get
        {
            ulong held = BootBytes + (Hotplug?.PluggedSize ?? 0);
            ulong ballooned = Balloon?.ActualBytes ?? 0;
            return held > ballooned ? held - ballooned : 0;
        }
    }

    /// <summary>
    /// What the guest holds less what it has available, from fresh statistics: its work plus what its kernel keeps for
    /// itself (memmap, reserved ranges: the gap between what it is given and its MemTotal). Measured against what it
    /// is given, demand can exceed the guest's total as its available memory runs out, which is what makes Dynamic
    /// Memory grow it. Pages the guest lent its balloon are neither assigned nor available, so they do not count.
    /// </summary>
    public ulong? DemandBytes
    {
        get
        {
            if (Balloon?.Statistics is not { AvailableMemory: { } available } statistics
                || Environment.TickCount64 - statistics.ReceivedAt >= FreshStatisticsMs)
            {
                return null;
            }

            ulong assigned = AssignedBytes;
            return assigned > available ? assigned - available : 0;
        }
    }

    public bool BalloonReady => Balloon?.DriverReady == true;

    public bool HotplugReady => Hotplug?.DriverReady == true;

    /// <summary>
    /// Above boot memory, blocks are asked for; below it, none are, and the balloon takes what is below boot memory plus
    /// what the guest still has plugged (blocks it could not give back yet), so that what it holds meets the target.
    /// </summary>
    public void Apply(ulong targetBytes)
    {
        ulong above = targetBytes > BootBytes ? targetBytes - BootBytes : 0;
        ulong stillPlugged = Hotplug?.PluggedSize ?? 0;
        ulong below = targetBytes < BootBytes ? BootBytes + stillPlugged - targetBytes : 0;
        Hotplug?.SetRequestedSize(Math.Min(above, HotplugCapacityBytes));
        Balloon?.SetTarget(Math.Min(below, BootBytes));
    }

    public void RequestStatistics() => Balloon?.RequestStatistics();
}
