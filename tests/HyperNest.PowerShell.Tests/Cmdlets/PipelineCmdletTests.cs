using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// Every Get-VM* output pipes into its Set-, Remove-, Rename-, Restore-, Connect- and Disconnect- counterparts by value,
/// as in Hyper-V: the object, not its name, says what changes (each row also names the object parameter explicitly, so a
/// match by property name alone cannot pass it). And -Passthru exactly where Hyper-V has it.
/// </summary>
public sealed class PipelineCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    /// <summary>The rows: a pipeline, the same by the named object parameter, and what both must write.</summary>
    public static TheoryData<string, string, string, string> Pairs => new()
    {
        { "Get-VM web | Set-VM -Accelerator Emulated -Passthru", "Set-VM -VM (Get-VM web) -Accelerator Emulated -Passthru", "Name,Accelerator", "web,Emulated" },
        { "Get-VM web | Remove-VM -Force -Passthru", "Remove-VM -VM (Get-VM web) -Force -Passthru", "Name", "web" },
        { "Get-VMProcessor web | Set-VMProcessor -Count 2 -Passthru", "Set-VMProcessor -VMProcessor (Get-VMProcessor web) -Count 2 -Passthru", "VMName,Count", "web,2" },
        { "Get-VMMemory web | Set-VMMemory -StartupBytes 1GB -Passthru", "Set-VMMemory -VMMemory (Get-VMMemory web) -StartupBytes 1GB -Passthru", "VMName,Startup", "web,1073741824" },
        { "Get-VMNetworkAdapter web | Set-VMNetworkAdapter -MacAddressSpoofing On -Passthru", "Set-VMNetworkAdapter -VMNetworkAdapter (Get-VMNetworkAdapter web) -MacAddressSpoofing On -Passthru", "Name,MacAddressSpoofing", "Network Adapter,On" },
        { "Get-VMNetworkAdapter web | Connect-VMNetworkAdapter -SwitchName lab -Passthru", "Connect-VMNetworkAdapter -VMNetworkAdapter (Get-VMNetworkAdapter web) -SwitchName lab -Passthru", "Name,SwitchName", "Network Adapter,lab" },
        { "Get-VMNetworkAdapter web | Disconnect-VMNetworkAdapter -Passthru", "Disconnect-VMNetworkAdapter -VMNetworkAdapter (Get-VMNetworkAdapter web) -Passthru", "Name,SwitchName", "Network Adapter," },
        { "Get-VMNetworkAdapter web | Remove-VMNetworkAdapter -Passthru", "Remove-VMNetworkAdapter -VMNetworkAdapter (Get-VMNetworkAdapter web) -Passthru", "Name", "Network Adapter" },
        { "Get-VMSwitch lab | Set-VMSwitch -Notes n -Passthru", "Set-VMSwitch -VMSwitch (Get-VMSwitch lab) -Notes n -Passthru", "Name,Notes", "lab,n" },
        { "Get-VMSnapshot web | Rename-VMSnapshot -NewName c2 -Passthru", "Rename-VMSnapshot -VMSnapshot (Get-VMSnapshot web) -NewName c2 -Passthru", "VMName,Name", "web,c2" },
        { "Get-VMSnapshot web | Restore-VMSnapshot -Confirm:$false -Passthru", "Restore-VMSnapshot -VMSnapshot (Get-VMSnapshot web) -Confirm:$false -Passthru", "VMName,Name", "web,c1" },
        { "Get-VMSnapshot web | Remove-VMSnapshot -Passthru", "Remove-VMSnapshot -VMSnapshot (Get-VMSnapshot web) -Passthru", "VMName,Name", "web,c1" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_Get_Output_Pipes_Into_Its_Counterpart_By_Value(string piped, string named, string properties, string expected)
    {
        foreach (string command in (string[])[piped, named])
        {
            using var home = new PowerShellHome();
            SwitchRecord.Write(home.Path, "lab");
            // Two VMs: the other must not change.
            JsonElement written = home.Json($$"""
                New-VM other | Out-Null
                New-VM web | Out-Null
                Checkpoint-VM web -SnapshotName c1
                {{command}} | ForEach-Object { ($_ | Select-Object {{properties}}).PSObject.Properties.Value -join ',' }
                (Get-VM other | Select-Object Name, ProcessorCount, MemoryStartup, Accelerator).PSObject.Properties.Value -join ','
                """);

            Assert.Equal([expected, "other,1,536870912,Auto"], written.EnumerateArray().Select(e => e.GetString()));
        }
    }

    /// <summary>Hyper-V's cmdlets with -Passthru (its module's documentation), among those HyperNest exports.</summary>
    private static readonly string[] HyperVPassthru =
    [
        "Add-VMHardDiskDrive", "Add-VMNetworkAdapter", "Checkpoint-VM", "Connect-VMNetworkAdapter", "Convert-VHD", "Disconnect-VMNetworkAdapter",
        "Remove-VM", "Remove-VMHardDiskDrive", "Remove-VMNetworkAdapter", "Remove-VMSnapshot", "Rename-VM", "Rename-VMSnapshot", "Resize-VHD",
        "Restart-VM", "Restore-VMSnapshot", "Resume-VM", "Save-VM", "Set-VM", "Set-VMHost", "Set-VMMemory", "Set-VMNetworkAdapter",
        "Set-VMProcessor", "Set-VMSwitch", "Start-VM", "Stop-VM", "Suspend-VM",
    ];

    /// <summary>HyperNest's own cmdlets have it too, and Remove-VMSavedState (which Hyper-V gives none) writes the VM.</summary>
    private static readonly string[] HyperNestPassthru = ["Enable-NestedVm", "Remove-VMSavedState", "Set-VMBootSource"];

    [Fact]
    public void Passthru_Is_Where_Hyper_V_Has_It()
    {
        JsonElement names = _home.Json("""
            Get-Command -Module HyperNest -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Passthru') } | ForEach-Object Name | Sort-Object
            """);

        Assert.Equal(HyperVPassthru.Concat(HyperNestPassthru).Order(StringComparer.OrdinalIgnoreCase), names.EnumerateArray().Select(e => e.GetString()));
    }
}
