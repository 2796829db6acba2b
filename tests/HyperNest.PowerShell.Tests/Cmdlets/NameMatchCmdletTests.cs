using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// A name New-VM accepts is reachable by that same name: -Name matches literally first, then as a wildcard. "web[1]"
/// reads as a wildcard that matches "web1" only, yet Get-VM and Remove-VM -Name 'web[1]' find the VM named web[1]
/// (a fault found by trying inputs from public bug reports); without a literal match the wildcard still applies.
/// </summary>
public sealed class NameMatchCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_Name_With_Brackets_Is_Found_And_Removed_By_That_Name_And_The_Wildcard_Still_Works_Without_One()
    {
        JsonElement output = _home.Json("""
            New-VM -Name 'web[1]' | Out-Null
            New-VM -Name web1 | Out-Null
            @((Get-VM -Name 'web[1]').Name)
            @((Get-VM -Name 'web[12]').Name)
            Remove-VM -Name 'web[1]' -Force
            @((Get-VM).Name)
            """);

        Assert.Equal(["web[1]", "web1", "web1"], output.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_Network_Adapter_Named_With_Brackets_Is_Found_By_That_Name()
    {
        JsonElement output = _home.Json("""
            New-VM -Name web | Out-Null
            Add-VMNetworkAdapter -VMName web -Name 'nic[2]'
            Add-VMNetworkAdapter -VMName web -Name nic2
            @((Get-VMNetworkAdapter -VMName web -Name 'nic[2]').Name)
            """);

        Assert.Equal(["nic[2]"], output.EnumerateArray().Select(e => e.GetString()));
    }
}
