namespace HyperNest.Worker.Tests;

/// <summary>A guest's reboots restart its VM until 5 fall within 60 s: the 5th ends it (a reboot loop).</summary>
public sealed class RebootLoopTests
{
    [Fact]
    public void Four_Reboots_Within_A_Minute_Restart_The_Fifth_Ends_It()
    {
        var loop = new RebootLoop();

        Assert.All(new long[] { 1_000, 2_000, 3_000, 4_000 }, at => Assert.True(loop.Restarts(at)));
        Assert.False(loop.Restarts(5_000));
    }

    [Fact]
    public void Reboots_Further_Apart_Than_The_Window_Restart_For_Ever()
    {
        var loop = new RebootLoop();

        for (long at = 0; at < 100 * 16_000; at += 16_000)
        {
            Assert.True(loop.Restarts(at), $"the reboot at {at} ms ended the VM");
        }
    }

    [Fact]
    public void A_Reboot_Exactly_A_Window_Later_No_Longer_Counts_The_First()
    {
        var loop = new RebootLoop();
        long window = (long)RebootLoop.Window.TotalMilliseconds;
        foreach (long at in new long[] { 0, 10, 20, 30 })
        {
            Assert.True(loop.Restarts(at));
        }

        Assert.True(loop.Restarts(window));
        Assert.False(loop.Restarts(window + 5));
    }

    [Fact]
    public void The_Loop_Says_How_Many_Reboots_In_How_Long() =>
        Assert.Equal("the guest rebooted 5 times within 60 s: HyperNest stopped it (a reboot loop)", RebootLoop.StopReason);
}
