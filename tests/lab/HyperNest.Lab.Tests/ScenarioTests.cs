namespace HyperNest.Lab.Tests;

public sealed class ScenarioTests
{
    [Fact]
    public void Directives_Say_Whether_Hnest_Is_Carried_And_How_Long_The_Run_May_Take()
    {
        Scenario scenario = Scenario.Parse("disk", "# disk: ...\n# lab-needs: hnest\n# lab-timeout: 540\nlab_pass\n");

        Assert.True(scenario.NeedsHnest);
        Assert.Equal(TimeSpan.FromSeconds(540), scenario.Timeout);
    }

    [Fact]
    public void Without_Directives_A_Scenario_Carries_No_Hnest_And_Has_The_Default_Timeout()
    {
        Scenario scenario = Scenario.Parse("lab-selftest", "lab_pass\n");

        Assert.False(scenario.NeedsHnest);
        Assert.Equal(Scenario.DefaultTimeout, scenario.Timeout);
    }

    [Fact]
    public void Nested_Guest_Directive_Carries_Hnest_And_The_Nested_Guest_Initramfs()
    {
        Scenario scenario = Scenario.Parse("nested", "# lab-needs: nested-guest\nlab_pass\n");

        Assert.True(scenario.NeedsHnest);
        Assert.True(scenario.NeedsNestedGuest);
    }

    [Fact]
    public void Hnest_Alone_Carries_No_Nested_Guest_Initramfs() =>
        Assert.False(Scenario.Parse("boot", "# lab-needs: hnest\nlab_pass\n").NeedsNestedGuest);
}
