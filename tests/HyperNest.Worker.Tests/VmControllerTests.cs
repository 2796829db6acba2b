namespace HyperNest.Worker.Tests;

/// <summary>
/// How long the VM's control thread sleeps between requests: never past the shutdown deadline nor past the next
/// memory tick (a VM with a memory keeper must be ticked about once a second, or its memory never follows its
/// settings), and for good when it has neither (hnest run: no wake-ups, no allocation).
/// </summary>
public sealed class VmControllerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_A_Deadline_Or_A_Memory_Keeper_It_Sleeps_Until_A_Request() =>
        Assert.Equal(Timeout.Infinite, VmController.SleepMilliseconds(null, Now, null, 5000));

    [Fact]
    public void A_Memory_Keeper_Wakes_It_For_The_Next_Tick() =>
        Assert.Equal(700, VmController.SleepMilliseconds(null, Now, nextMemoryTick: 5700, nowTicks: 5000));

    [Fact]
    public void A_Tick_Already_Due_Means_No_Sleep() =>
        Assert.Equal(0, VmController.SleepMilliseconds(null, Now, nextMemoryTick: 4000, nowTicks: 5000));

    [Fact]
    public void The_Shutdown_Deadline_Comes_First_When_It_Is_Sooner()
    {
        Assert.Equal(250, VmController.SleepMilliseconds(Now.AddMilliseconds(250), Now, nextMemoryTick: 6000, nowTicks: 5000));
        Assert.Equal(1000, VmController.SleepMilliseconds(Now.AddSeconds(30), Now, nextMemoryTick: 6000, nowTicks: 5000));
        Assert.Equal(30_000, VmController.SleepMilliseconds(Now.AddSeconds(30), Now, null, 5000));
    }
}
