namespace HyperNest.Cli.Tests.Commands;

/// <summary>hnest nested enable: the guide's settings in one step, the plan first, "already set up" the second time.</summary>
public sealed class NestedEnableCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Enable_With_Yes_Applies_The_Guides_Settings_And_Reports_Nothing_To_Do_The_Second_Time()
    {
        _home.Ok("vm", "new", "DemoVM", "--memory", "1G");

        string first = _home.Ok("nested", "enable", "DemoVM", "--yes").Stdout;

        Assert.Contains("expose virtualization extensions", first);
        Assert.Contains("raise startup memory from 1024 MB to 4096 MB", first);
        Assert.Contains("'DemoVM' is set up for nesting.", first);
        var vm = _home.Show("DemoVM").GetProperty("configuration");
        Assert.True(vm.GetProperty("exposeVirtualizationExtensions").GetBoolean());
        Assert.False(vm.GetProperty("memory").GetProperty("dynamicMemoryEnabled").GetBoolean());
        Assert.Equal("'DemoVM' is already set up for nesting.", _home.Ok("nested", "enable", "DemoVM", "--yes").Stdout.Trim());
    }

    [Fact]
    public void Without_Yes_And_Without_A_Terminal_Nothing_Changes()
    {
        _home.Ok("vm", "new", "DemoVM");

        string output = _home.Ok("nested", "enable", "DemoVM", "--mac-spoofing", "false", "--memory-4gb", "false").Stdout;

        Assert.Contains("Proceed? [y/N]", output);
        Assert.Contains("Nothing changed.", output);
        Assert.False(_home.Show("DemoVM").GetProperty("configuration").GetProperty("exposeVirtualizationExtensions").GetBoolean());
    }

    [Fact]
    public void Unknown_Vm_Is_One_Line_And_Exit_2() =>
        Assert.Equal("hnest: HyperNest was unable to find a virtual machine with name \"nope\".", _home.Fails("nested", "enable", "nope", "--yes"));

    [Fact]
    public void Status_Lists_Each_Vm_With_Its_Verdict()
    {
        _home.Ok("vm", "new", "DemoVM");
        _home.Ok("nested", "enable", "DemoVM", "--yes");

        string status = _home.Ok("nested", "status").Stdout;

        Assert.Contains("VM DemoVM (Off):", status);
        Assert.Contains("warning: 1 virtual processor", status);
    }
}
