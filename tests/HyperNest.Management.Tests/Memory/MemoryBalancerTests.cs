using HyperNest.Management.Memory;

namespace HyperNest.Management.Tests.Memory;

/// <summary>Dynamic Memory's balancer: each running VM's target from its demand, Buffer, Minimum..Maximum and Priority.</summary>
public sealed class MemoryBalancerTests
{
    private const ulong MiB = 1UL << 20;
    private const ulong Plenty = 64UL * 1024 * MiB;

    private static MemoryClaim Dynamic(string id, ulong demandMiB, int priority = 50, int buffer = 20, ulong minimumMiB = 256, ulong startupMiB = 512, ulong maximumMiB = 2048) =>
        new(id, true, startupMiB * MiB, minimumMiB * MiB, maximumMiB * MiB, buffer, priority, demandMiB * MiB);

    private static MemoryClaim Static(string id, ulong startupMiB) => new(id, false, startupMiB * MiB, startupMiB * MiB, startupMiB * MiB, 20, 50, null);

    private static ulong TargetMiB(IReadOnlyDictionary<string, ulong> targets, string id) => targets[id] / MiB;

    [Fact]
    public void A_Static_Vm_Keeps_Its_Startup_Memory_Whatever_The_Budget()
    {
        Assert.Equal(1024UL, TargetMiB(MemoryBalancer.Targets([Static("s", 1024)], Plenty), "s"));
        Assert.Equal(1024UL, TargetMiB(MemoryBalancer.Targets([Static("s", 1024)], 0), "s"));
    }

    [Fact]
    public void With_Room_A_Dynamic_Vm_Gets_Its_Demand_Plus_Buffer()
    {
        // 500 MiB demand + 20 % = 600 MiB, on the 2 MiB grain.
        Assert.Equal(600UL, TargetMiB(MemoryBalancer.Targets([Dynamic("d", 500)], Plenty), "d"));
    }

    [Fact]
    public void The_Target_Is_Rounded_Up_To_The_Grain()
    {
        // 101 MiB + 20 % = 121.2 MiB → 122 MiB.
        Assert.Equal(122UL, TargetMiB(MemoryBalancer.Targets([Dynamic("d", 101, minimumMiB: 64)], Plenty), "d"));
        Assert.Equal(0UL, MemoryBalancer.Targets([Dynamic("d", 101, minimumMiB: 64)], Plenty)["d"] % MemoryBalancer.Grain);
    }

    [Theory]
    [InlineData(100UL, 256UL)] // 120 MiB wanted, Minimum 256
    [InlineData(3000UL, 2048UL)] // 3600 MiB wanted, Maximum 2048
    public void The_Target_Stays_Within_Minimum_And_Maximum(ulong demandMiB, ulong expectedMiB) =>
        Assert.Equal(expectedMiB, TargetMiB(MemoryBalancer.Targets([Dynamic("d", demandMiB)], Plenty), "d"));

    [Fact]
    public void A_Vm_Whose_Guest_Has_Not_Reported_Yet_Keeps_Its_Startup_Memory() =>
        Assert.Equal(512UL, TargetMiB(MemoryBalancer.Targets([Dynamic("d", 0) with { DemandBytes = null }], Plenty), "d"));

    [Fact]
    public void Buffer_Is_A_Percentage_Up_To_2000()
    {
        Assert.Equal(210UL, TargetMiB(MemoryBalancer.Targets([Dynamic("d", 200, buffer: 5, minimumMiB: 64)], Plenty), "d"));
        Assert.Equal(2100UL, TargetMiB(MemoryBalancer.Targets([Dynamic("d", 100, buffer: 2000, minimumMiB: 64, maximumMiB: 4096)], Plenty), "d"));
    }

    [Fact]
    public void Under_Pressure_The_Lower_Priority_Vm_Gives_First()
    {
        // Both want 600 MiB; the budget holds 1100: the low-priority VM gives up its 100 MiB buffer, the high one nothing.
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Dynamic("low", 500, priority: 10), Dynamic("high", 500, priority: 90)], 1100 * MiB);

        Assert.Equal(600UL, TargetMiB(targets, "high"));
        Assert.Equal(500UL, TargetMiB(targets, "low"));
    }

    [Fact]
    public void Within_One_Priority_Buffers_Go_Before_Any_Vm_Is_Cut_Below_Its_Demand()
    {
        // Wants 600 + 700, demands 500 + 583; budget 1120: the 180 comes out of the buffers alone.
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Dynamic("a", 500), Dynamic("b", 583)], 1120 * MiB);

        Assert.True(TargetMiB(targets, "a") >= 500 && TargetMiB(targets, "b") >= 583, $"a {TargetMiB(targets, "a")}, b {TargetMiB(targets, "b")}");
        Assert.True(TargetMiB(targets, "a") + TargetMiB(targets, "b") <= 1124);
    }

    [Fact]
    public void The_Lower_Priority_Vm_Gives_Down_To_Minimum_Before_A_Higher_One_Gives_Anything()
    {
        // Budget 900: the low one gives its buffer and 200 below its demand (down to 300, above its Minimum of 256).
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Dynamic("low", 500, priority: 10), Dynamic("high", 500, priority: 90)], 900 * MiB);

        Assert.Equal(600UL, TargetMiB(targets, "high"));
        Assert.Equal(300UL, TargetMiB(targets, "low"));
    }

    [Fact]
    public void When_The_Lower_Priority_Vm_Is_At_Minimum_The_Higher_One_Gives_Its_Buffer_Then_Its_Demand()
    {
        // Budget 700: low goes to its Minimum 256 (gives 344); high gives its 100 of buffer and 56 below its demand.
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Dynamic("low", 500, priority: 10), Dynamic("high", 500, priority: 90)], 700 * MiB);

        Assert.Equal(256UL, TargetMiB(targets, "low"));
        Assert.Equal(444UL, TargetMiB(targets, "high"));
    }

    [Fact]
    public void Nobody_Goes_Below_Minimum_Even_When_The_Budget_Is_Gone()
    {
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Dynamic("a", 500, priority: 10), Dynamic("b", 500, priority: 90)], 0);

        Assert.Equal(256UL, TargetMiB(targets, "a"));
        Assert.Equal(256UL, TargetMiB(targets, "b"));
    }

    [Fact]
    public void Static_Vms_Are_Served_First_And_Dynamic_Ones_Share_What_Is_Left()
    {
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets([Static("s", 1024), Dynamic("d", 500)], 1536 * MiB);

        Assert.Equal(1024UL, TargetMiB(targets, "s"));
        Assert.Equal(512UL, TargetMiB(targets, "d"));
    }

    [Fact]
    public void Equal_Priorities_Share_A_Cut_In_Proportion_To_What_Each_Can_Give()
    {
        // a can give 100 (buffer), b 200: a cut of 150 takes 50 and 100.
        IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets(
            [Dynamic("a", 500, buffer: 20), Dynamic("b", 1000, buffer: 20, maximumMiB: 4096)], (600 + 1200 - 150) * MiB);

        Assert.Equal(550UL, TargetMiB(targets, "a"));
        Assert.Equal(1100UL, TargetMiB(targets, "b"));
    }

    [Fact]
    public void The_Targets_Fit_The_Budget_Whenever_The_Minimums_Do()
    {
        var random = new Random(7);
        for (int round = 0; round < 500; round++)
        {
            var claims = new List<MemoryClaim>();
            for (int i = 0; i < random.Next(1, 6); i++)
            {
                ulong minimum = (ulong)random.Next(64, 512);
                ulong startup = minimum + (ulong)random.Next(0, 512);
                claims.Add(Dynamic($"vm{i}", (ulong)random.Next(0, 3000), random.Next(0, 101), random.Next(5, 2001), minimum, startup, startup + (ulong)random.Next(0, 4096)));
            }

            ulong budget = (ulong)random.Next(0, 12000) * MiB;
            IReadOnlyDictionary<string, ulong> targets = MemoryBalancer.Targets(claims, budget);
            ulong minimums = claims.Aggregate(0UL, (sum, c) => sum + c.MinimumBytes);
            ulong total = targets.Values.Aggregate(0UL, (sum, t) => sum + t);

            Assert.All(claims, c => Assert.InRange(targets[c.VmId], c.MinimumBytes, c.MaximumBytes));
            if (minimums <= budget)
            {
                Assert.True(total <= budget + (ulong)claims.Count * MemoryBalancer.Grain, $"round {round}: {total / MiB} MiB given from a budget of {budget / MiB} MiB");
            }
        }
    }
}
