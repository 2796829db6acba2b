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

    private ulong? _kernelBytes;

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
    /// <see cref="GuestDemand"/> from fresh statistics; null without them. The kernel's share of boot memory is taken
    /// from the first report, before anything is plugged or ballooned (later, the gap between what the guest holds and
    /// its total moves with blocks in flight); a VM whose first report comes later uses that gap as it is then.
    /// </summary>
    public ulong? DemandBytes
    {
        get
        {
            if (Balloon?.Statistics is not { } statistics || Environment.TickCount64 - statistics.ReceivedAt >= FreshStatisticsMs)
            {
                return null;
            }

            bool untouched = (Hotplug?.PluggedSize ?? 0) == 0 && Balloon.ActualBytes == 0;
            _kernelBytes ??= GuestDemand.KernelShare(untouched ? BootBytes : AssignedBytes, statistics);
            ulong loaned = vm.Config.BalloonDeflateOnOom ? Balloon.ActualBytes : 0;
            return GuestDemand.Of(statistics, loaned, _kernelBytes ?? 0);
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
