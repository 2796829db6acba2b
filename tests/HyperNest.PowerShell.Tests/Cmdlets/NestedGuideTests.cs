using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>The configuration lines of Hyper-V's nested virtualization guide, run verbatim against a new VM.</summary>
public sealed class NestedGuideTests : IDisposable
{
    private const string GuideLines = """
        New-VM -Name DemoVM -MemoryStartupBytes 1GB | Out-Null
        Set-VMProcessor -VMName DemoVM -ExposeVirtualizationExtensions $true -Count 2
        Set-VMMemory DemoVM -DynamicMemoryEnabled $false
        Get-VMNetworkAdapter -VMName DemoVM | Set-VMNetworkAdapter -MacAddressSpoofing On

        """;

    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Guide_Lines_Configure_A_New_VM_For_Nesting()
    {
        JsonElement[] settings = [.. _home.Json(GuideLines + "Get-VMProcessor DemoVM; Get-VMMemory DemoVM; Get-VMNetworkAdapter DemoVM").EnumerateArray()];

        Assert.Equal(3, settings.Length);
        Assert.Equal(2, settings[0].GetProperty("Count").GetInt64());
        Assert.True(settings[0].GetProperty("ExposeVirtualizationExtensions").GetBoolean());
        Assert.False(settings[1].GetProperty("DynamicMemoryEnabled").GetBoolean());
        Assert.Equal(1L << 30, settings[1].GetProperty("Startup").GetInt64());
        Assert.Equal("Network Adapter", settings[2].GetProperty("Name").GetString());
        Assert.Equal("On", settings[2].GetProperty("MacAddressSpoofing").GetString());
    }

    [Fact]
    public void Guide_Result_Shows_In_The_Default_Tables()
    {
        string[] lines = _home.Ok(GuideLines + """
            Get-VMProcessor DemoVM | Out-String
            Get-VMMemory DemoVM | Out-String
            Get-VMNetworkAdapter DemoVM | Out-String -Width 160
            """).Lines;

        Assert.Matches(@"^VMName\s+Count\s+ExposeVirtualizationExtensions$", lines[0]);
        Assert.Matches(@"^DemoVM\s+2\s+True$", lines[2]);
        Assert.Matches(@"^VMName\s+DynamicMemoryEnabled\s+Minimum\(M\)\s+Startup\(M\)\s+Maximum\(M\)\s+Buffer\s+Priority$", lines[3]);
        Assert.Matches(@"^DemoVM\s+False\s+512\s+1024\s+1048576\s+20\s+50$", lines[5]);
        Assert.Matches(@"^Name\s+VMName\s+SwitchName\s+MacAddress\s+MacAddressSpoofing\s+Status\s+IPAddresses$", lines[6]);
        Assert.Matches(@"^Network Adapter\s+DemoVM\s+00155D[0-9A-F]{6}\s+On\s+\{\}\s+\{\}$", lines[8]);
    }
}
