namespace HyperNest.Cli.Tests.Commands;

/// <summary>Every expected failure of <c>hnest vm</c>: exit code 2 and one line on stderr.</summary>
public sealed class VmCommandErrorTests : IDisposable
{
    private readonly VmHome _home = new();

    public VmCommandErrorTests()
    {
        _home.Ok("vm", "new", "web");
    }

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("HyperNest was unable to find a virtual machine with name \"nope\".", "vm", "show", "nope")]
    [InlineData("HyperNest was unable to find a virtual machine with name \"nope\".", "vm", "start", "nope")]
    [InlineData("A virtual machine named 'WEB' already exists.", "vm", "new", "WEB")]
    [InlineData("--memory '12Q' is not a size (expected e.g. 512M or 2G)", "vm", "new", "other", "--memory", "12Q")]
    [InlineData("Setting maximum, minimum, and buffer settings requires Dynamic Memory to be enabled.", "vm", "set-memory", "web", "--minimum", "256M")]
    [InlineData("Setting maximum, minimum, and buffer settings requires Dynamic Memory to be enabled.", "vm", "set-memory", "web", "--buffer", "30")]
    [InlineData("Failed to modify device 'Memory' of 'web': invalid startup memory amount (513 MB). The amount of memory must be a multiple of 2 MB.", "vm", "set-memory", "web", "--startup", "513M")]
    [InlineData("The network adapter cannot use both a static and dynamic MAC address.", "vm", "adapter", "set", "web", "Network Adapter", "--static-mac-address", "02:00:00:00:00:01", "--dynamic-mac-address")]
    [InlineData("'web' has no network adapter named 'eth9'.", "vm", "adapter", "set", "web", "eth9", "--mac-address-spoofing", "On")]
    [InlineData("--mac-address-spoofing 'maybe': expected On or Off", "vm", "adapter", "set", "web", "Network Adapter", "--mac-address-spoofing", "maybe")]
    [InlineData("The kernel file '/nonexistent/bzImage' does not exist.", "vm", "set-boot", "web", "--kernel", "/nonexistent/bzImage")]
    [InlineData("The disk image file '/nonexistent/d.raw' does not exist.", "vm", "disk", "add", "web", "/nonexistent/d.raw")]
    [InlineData("'web' failed to change state (Resume while Off): The operation cannot be performed while the virtual machine is in its current state.", "vm", "resume", "web")]
    [InlineData("'web' failed to change state (Suspend while Off): The operation cannot be performed while the virtual machine is in its current state.", "vm", "suspend", "web")]
    [InlineData("The virtual machine name cannot be empty.", "vm", "new", " ")]
    [InlineData("The virtual machine name ' vm1 ' begins or ends with spaces: give it without them.", "vm", "new", " vm1 ")]
    [InlineData("The network adapter name cannot be empty.", "vm", "adapter", "add", "web", " ")]
    [InlineData("HyperNest was unable to find a virtual switch with name \"Default\".", "vm", "new", "X", "--switch", "Default")]
    [InlineData("--dynamic-memory 'maybe' is not true or false", "vm", "set-memory", "web", "--dynamic-memory", "maybe")]
    [InlineData("--expose-virtualization-extensions 'yes' is not true or false", "vm", "set-processor", "web", "--expose-virtualization-extensions", "yes")]
    [InlineData("--priority 99999999999 is out of range", "vm", "set-memory", "web", "--priority", "99999999999")]
    [InlineData("--priority 'high' is not a whole number", "vm", "set-memory", "web", "--priority", "high")]
    public void Expected_Error_Exits_2_With_One_Line(string message, params string[] args) =>
        Assert.Equal($"hnest: {message}", _home.Fails(args));

    [Fact]
    public void Too_Many_Processors_Is_Refused_With_The_Hosts_Count() =>
        Assert.Contains($"than the host has logical processors ({Environment.ProcessorCount})",
            _home.Fails("vm", "set-processor", "web", "--count", (Environment.ProcessorCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Unparsable_Option_Value_Exits_2_With_One_Line() =>
        Assert.StartsWith("hnest: ", _home.Fails("vm", "set-processor", "web", "--expose-virtualization-extensions", "maybe"));

    [Fact]
    public void Same_State_Request_Warns_And_Succeeds()
    {
        HnestProcess.Result result = _home.Ok("vm", "stop", "web", "--turn-off");

        Assert.Equal("hnest: warning: 'web': The virtual machine is already in the specified state.", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Corrupt_Config_Is_Reported_In_One_Line_And_The_Good_Vms_Are_Listed()
    {
        _home.Ok("vm", "new", "broken");
        File.WriteAllText(Path.Combine(_home.VmFolder("broken"), "config.json"), "{\"schemaVersion\": 1, \"name\": \"broken\", \"processorCount\": \"x\"}");

        HnestProcess.Result result = _home.Hnest("vm", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("web", result.Stdout);
        Assert.DoesNotContain("broken", result.Stdout);
        Assert.StartsWith("hnest: config of VM 'broken' (", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Config_From_A_Newer_HyperNest_Is_Refused()
    {
        string config = Path.Combine(_home.VmFolder("web"), "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));

        Assert.EndsWith("was written by a newer HyperNest (schema 2); this one reads up to 1", Assert.Single(_home.Hnest("vm", "list").StderrLines));
    }
}
