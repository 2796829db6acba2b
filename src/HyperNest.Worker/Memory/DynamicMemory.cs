using HyperNest.Management;
using HyperNest.Management.Memory;
using HyperNest.Management.Model;

namespace HyperNest.Worker.Memory;

/// <summary>
/// One running VM's memory, kept where its settings say: a static VM at Startup (resized when Startup changes while
/// it runs), a Dynamic Memory VM at the target <see cref="MemoryBalancer"/> gives it from its guest's demand, its
/// peers' claims and the host's free memory. <see cref="Tick"/> runs about once a second on the VM's control thread.
/// </summary>
internal sealed class DynamicMemory(string vmId, VmMemorySettings settings, IGuestMemoryDevices devices, IHostMemory host, Func<IReadOnlyList<VmMemoryReport>> peers)
{
    /// <summary>Memory the host keeps for itself: a tenth of it, at least 128 MiB, at most 2 GiB.</summary>
    public static ulong HostReserve(ulong hostTotalBytes) => Math.Clamp(hostTotalBytes / 10, 128UL << 20, 2UL << 30);

    /// <summary>
    /// The hot-pluggable region a VM gets at start: what the host has beyond the VM's boot memory, in whole 128 MiB
    /// (a guest adds memory in such blocks), at most 1 TiB. It costs address space only until the guest plugs blocks.
    /// </summary>
    public static ulong HotplugRoom(ulong bootBytes, ulong hostTotalBytes)
    {
        const ulong Block = 128UL << 20;
        ulong room = hostTotalBytes > bootBytes ? hostTotalBytes - bootBytes : 0;
        return Math.Min(room - room % Block, Vmm.VmConfig.MaxHotplugMemoryBytes);
    }

    /// <summary>How long a guest may take to start its balloon driver before the report says it has none.</summary>
    public static readonly TimeSpan DriverGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most a single tick takes back from a Dynamic Memory guest (growing is never held back): its statistics trail
    /// what it does by a tick or more, and a guest that is short when its demand rises again has nothing to kill but its
    /// own work. 32 MiB a second frees a gigabyte in about half a minute.
    /// </summary>
    public const ulong MaxShrinkPerTick = 32UL << 20;

    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private VmMemorySettings _settings = settings;
    private ulong _target = settings.StartupBytes;

    public VmMemorySettings Settings => _settings;

    public VmMemoryReport? Last { get; private set; }

    /// <summary>
    /// New settings while the VM runs (already checked against <see cref="RuntimeMemoryRules"/>): taken at once.
    /// </summary>
    /// <exception cref="VmOperationException">The guest cannot take them: no room was set aside, or its driver is missing.</exception>
    public VmMemoryReport Change(VmMemorySettings next, DateTimeOffset now)
    {
        if (!next.DynamicMemoryEnabled && next.StartupBytes != _settings.StartupBytes)
        {
            EnsureReachable(next.StartupBytes);
        }

        _settings = next;
        return Tick(now);
    }

    /// <summary>Asks for fresh statistics, moves the guest toward its target, and returns the report to publish.</summary>
    public VmMemoryReport Tick(DateTimeOffset now)
    {
        devices.RequestStatistics();
        MemoryClaim claim = Claim();
        ulong next = Target(claim, now);
        // The balancer gives back gradually; a static VM resized by its administrator goes at once.
        _target = claim.Dynamic && next < _target && _target - next > MaxShrinkPerTick ? _target - MaxShrinkPerTick : next;
        devices.Apply(Math.Min(_target, devices.BootBytes + devices.HotplugCapacityBytes));

        Last = Report(claim, now);
        return Last;
    }

    private MemoryClaim Claim() => new(vmId, _settings.DynamicMemoryEnabled, _settings.StartupBytes,
        _settings.DynamicMemoryEnabled ? _settings.MinimumBytes : _settings.StartupBytes,
        _settings.DynamicMemoryEnabled ? _settings.MaximumBytes : _settings.StartupBytes,
        _settings.Buffer, _settings.Priority, _settings.DynamicMemoryEnabled ? devices.DemandBytes : null);

    /// <summary>This VM's share: a static VM's Startup; a dynamic VM's from the balancer over every running VM's claim.</summary>
    private ulong Target(MemoryClaim own, DateTimeOffset now)
    {
        if (!own.Dynamic)
        {
            return own.StartupBytes;
        }

        List<VmMemoryReport> others = [.. peers().Where(p => p.Claim.VmId != vmId && now - p.UpdatedAt < VmMemoryReport.StaleAfter)];
        ulong held = host.OwnResidentBytes + others.Aggregate(0UL, (sum, p) => sum + p.ResidentBytes);
        ulong available = host.AvailableBytes + held;
        ulong reserve = HostReserve(host.TotalBytes);
        ulong budget = available > reserve ? available - reserve : 0;
        return MemoryBalancer.Targets([own, .. others.Select(p => p.Claim)], budget)[vmId];
    }

    private void EnsureReachable(ulong bytes)
    {
        ulong ceiling = devices.BootBytes + devices.HotplugCapacityBytes;
        if (bytes > ceiling)
        {
            throw new VmOperationException(devices.HotplugCapacityBytes == 0
                ? $"no memory can be added while it runs: it started without room for more (the built-in guest and a VM on the emulated accelerator have none); restart it to give it {bytes >> 20} MB."
                : $"the VM can grow to {ceiling >> 20} MB while it runs (it started with room for that much): restart it to give it {bytes >> 20} MB.");
        }

        if (bytes > devices.AssignedBytes && bytes > devices.BootBytes && !devices.HotplugReady)
        {
            throw new VmOperationException("the guest has no virtio-mem driver running (Linux: the virtio_mem module), so memory cannot be added while it runs.");
        }

        if (bytes < devices.AssignedBytes && bytes < devices.BootBytes && !devices.BalloonReady)
        {
            throw new VmOperationException("the guest has no balloon driver running (Linux: the virtio_balloon module), so memory cannot be taken back while it runs.");
        }
    }

    private VmMemoryReport Report(MemoryClaim claim, DateTimeOffset now)
    {
        ulong assigned = devices.AssignedBytes;
        string? problem = Problem(assigned, now);
        string status = Status(claim, assigned);
        return new VmMemoryReport
        {
            AssignedBytes = assigned,
            DemandBytes = devices.DemandBytes,
            TargetBytes = _target,
            ResidentBytes = host.OwnResidentBytes,
            // A problem (a driver missing, no statistics) is a Warning even where there is no demand to measure.
            Status = status.Length == 0 && problem is not null ? "Warning" : status,
            Problem = problem,
            Claim = claim,
            UpdatedAt = now,
        };
    }

    /// <summary>Hyper-V's words: OK with the whole buffer, Low when the buffer is short, Warning below the demand.</summary>
    private static string Status(MemoryClaim claim, ulong assigned)
    {
        if (!claim.Dynamic || claim.DemandBytes is not { } demand)
        {
            return "";
        }

        ulong wanted = (ulong)((UInt128)demand * (ulong)(100 + claim.Buffer) / 100);
        return assigned + MemoryBalancer.Grain >= Math.Min(wanted, claim.MaximumBytes) ? "OK" : assigned >= demand ? "Low" : "Warning";
    }

    private string? Problem(ulong assigned, DateTimeOffset now)
    {
        bool late = now - _startedAt > DriverGrace;
        if (late && _settings.DynamicMemoryEnabled && !devices.BalloonReady)
        {
            return "the guest has no balloon driver running (Linux: virtio_balloon): Dynamic Memory cannot follow its demand";
        }

        if (late && _target < devices.BootBytes && !devices.BalloonReady)
        {
            return "the guest has no balloon driver running (Linux: virtio_balloon): its memory cannot be taken back";
        }

        if (late && _target > devices.BootBytes && !devices.HotplugReady)
        {
            return "the guest has no virtio-mem driver running (Linux: virtio_mem): memory cannot be added";
        }

        if (late && _settings.DynamicMemoryEnabled && devices.DemandBytes is null && devices.BalloonReady)
        {
            return "the guest's balloon driver sends no statistics: its demand is unknown";
        }

        return null;
    }
}
