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
    /// Total less available, from fresh statistics. With DEFLATE_ON_OOM Linux counts the balloon's pages in its total
    /// and as used, so they are taken out: the guest's demand is what its own work uses, not what it lends.
    /// </summary>
    public ulong? DemandBytes
    {
        get
        {
            if (Balloon?.Statistics is not { TotalMemory: { } total, AvailableMemory: { } available } statistics
                || Environment.TickCount64 - statistics.ReceivedAt >= FreshStatisticsMs)
            {
                return null;
            }

            ulong used = total > available ? total - available : 0;
            ulong lent = vm.Config.BalloonDeflateOnOom ? Balloon.ActualBytes : 0;
            return used > lent ? used - lent : 0;
        }
    }

    public bool BalloonReady => Balloon?.DriverReady == true;

    public bool HotplugReady => Hotplug?.DriverReady == true;

    public void Apply(ulong targetBytes)
    {
        ulong above = targetBytes > BootBytes ? targetBytes - BootBytes : 0;
        ulong below = targetBytes < BootBytes ? BootBytes - targetBytes : 0;
        Hotplug?.SetRequestedSize(Math.Min(above, HotplugCapacityBytes));
        Balloon?.SetTarget(below);
    }

    public void RequestStatistics() => Balloon?.RequestStatistics();
}
