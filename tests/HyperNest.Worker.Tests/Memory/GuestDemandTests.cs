using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Worker.Memory;

namespace HyperNest.Worker.Tests.Memory;

/// <summary>
/// A guest's demand from one balloon statistics report (virtio 1.2 §5.5.6.4): what it uses of its MemTotal, plus the
/// kernel's share of boot memory that MemTotal never shows.
/// </summary>
public sealed class GuestDemandTests
{
    private const ulong MiB = 1UL << 20;

    private static BalloonStatistics Report(ulong? totalMiB, ulong? availableMiB) => new(
        0, SwapIn: null, SwapOut: null, MajorFaults: null, MinorFaults: null, FreeMemory: null,
        TotalMemory: totalMiB * MiB, AvailableMemory: availableMiB * MiB, DiskCaches: null, HugetlbAllocations: null, HugetlbFailures: null);

    [Fact]
    public void Demand_is_what_the_guest_uses_of_its_total_plus_the_kernels_share_of_boot_memory()
    {
        // Booted with 256 MiB, MemTotal 224 MiB: 32 MiB the kernel keeps for itself.
        Assert.Equal(96 * MiB, GuestDemand.Of(Report(224, 160), loanedToBalloonBytes: 0, kernelBytes: 32 * MiB));
    }

    [Fact]
    public void Blocks_plugged_but_not_yet_online_do_not_count_as_demand()
    {
        // The host has plugged 256 MiB more, the guest has onlined none of it yet: its own total and available are
        // one consistent picture, so the demand is what it uses, not assigned memory less available.
        Assert.Equal(232 * MiB, GuestDemand.Of(Report(240, 40), loanedToBalloonBytes: 0, kernelBytes: 32 * MiB));
    }

    [Fact]
    public void Pages_lent_to_a_deflate_on_oom_balloon_are_not_demand()
    {
        // With DEFLATE_ON_OOM Linux keeps the balloon's 64 MiB in MemTotal and outside MemAvailable.
        Assert.Equal(96 * MiB, GuestDemand.Of(Report(224, 96), loanedToBalloonBytes: 64 * MiB, kernelBytes: 32 * MiB));
    }

    [Fact]
    public void A_report_without_total_or_available_gives_no_demand()
    {
        Assert.Null(GuestDemand.Of(Report(null, 100), 0, 32 * MiB));
        Assert.Null(GuestDemand.Of(Report(224, null), 0, 32 * MiB));
    }

    [Fact]
    public void Figures_that_do_not_add_up_never_go_below_the_kernels_share()
    {
        Assert.Equal(32 * MiB, GuestDemand.Of(Report(224, 300), loanedToBalloonBytes: 0, kernelBytes: 32 * MiB));
        Assert.Equal(32 * MiB, GuestDemand.Of(Report(224, 100), loanedToBalloonBytes: 200 * MiB, kernelBytes: 32 * MiB));
    }

    [Fact]
    public void The_kernels_share_is_boot_memory_less_the_first_total_and_never_negative()
    {
        Assert.Equal(32 * MiB, GuestDemand.KernelShare(256 * MiB, Report(224, 200)));
        Assert.Equal(0UL, GuestDemand.KernelShare(256 * MiB, Report(300, 200)));
        Assert.Null(GuestDemand.KernelShare(256 * MiB, Report(null, 200)));
    }
}
