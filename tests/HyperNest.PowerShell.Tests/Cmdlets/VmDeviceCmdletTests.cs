using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>The network adapter and hard disk drive cmdlets.</summary>
public sealed class VmDeviceCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Adapters_Are_Added_Listed_Changed_And_Removed()
    {
        SwitchRecord.Write(_home.Path, "lab");
        JsonElement adapters = _home.Json("""
            New-VM web | Out-Null; New-VM db | Out-Null
            Add-VMNetworkAdapter web -Name lan -SwitchName lab -StaticMacAddress 00:15:5D:01:02:03 -Passthru | Select-Object Name, MacAddress, DynamicMacAddressEnabled, SwitchName
            (Get-VMNetworkAdapter web).Name -join ','
            (Get-VMNetworkAdapter web -Name l*).Name
            (Get-VMNetworkAdapter -All).VMName -join ','
            Set-VMNetworkAdapter -VMName web -Name lan -DynamicMacAddress -MacAddressSpoofing On -Passthru | Select-Object DynamicMacAddressEnabled, MacAddressSpoofing
            Get-VMNetworkAdapter web -Name lan | Remove-VMNetworkAdapter -Passthru | ForEach-Object Name
            Remove-VMNetworkAdapter web 'Network Adapter'
            (Get-VMNetworkAdapter web).Count
            """);

        Assert.Equal(
            """[{"Name":"lan","MacAddress":"00155D010203","DynamicMacAddressEnabled":false,"SwitchName":"lab"},"Network Adapter,lan","lan","db,web,web",{"DynamicMacAddressEnabled":true,"MacAddressSpoofing":"On"},"lan",0]""",
            adapters.GetRawText());
    }

    [Fact]
    public void Set_VMNetworkAdapter_Without_Name_Changes_Every_Adapter_Of_The_VM()
    {
        JsonElement spoofing = _home.Json("""
            New-VM web | Out-Null
            Add-VMNetworkAdapter -VM (Get-VM web) -Name second
            Get-VM web | Set-VMNetworkAdapter -MacAddressSpoofing On
            (Get-VMNetworkAdapter web).MacAddressSpoofing
            """);

        Assert.Equal("""["On","On"]""", spoofing.GetRawText());
    }

    [Fact]
    public void Adapter_Errors_Name_The_Adapter()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VM web | Out-Null
            Set-VMNetworkAdapter -VMName web -Name nosuch -MacAddressSpoofing On
            Add-VMNetworkAdapter web
            Set-VMNetworkAdapter -VMName web -StaticMacAddress 01:00:00:00:00:01
            """);

        Assert.Equal(["ObjectNotFound", "InvalidArgument", "InvalidArgument"], errors.Select(e => e.Category));
        Assert.Equal("HyperNest was unable to find a network adapter named \"nosuch\" on virtual machine \"web\".", errors[0].Message);
        Assert.Equal("'web' already has a network adapter named 'Network Adapter'.", errors[1].Message);
        Assert.Contains("must be a non-zero unicast address", errors[2].Message);
    }

    [Fact]
    public void Hard_Disk_Drives_Are_Added_From_The_PowerShell_Location_And_Listed()
    {
        File.WriteAllBytes(Path.Combine(_home.Path, "a.img"), new byte[4096]);
        File.WriteAllBytes(Path.Combine(_home.Path, "b.img"), new byte[4096]);

        JsonElement drives = _home.Json($"""
            New-VM web | Out-Null
            Set-Location '{_home.Path}'
            Add-VMHardDiskDrive web a.img
            Add-VMHardDiskDrive -VMName web -Path ./b.img -ReadOnly -Passthru | Out-Null
            Get-VMHardDiskDrive web | Select-Object Path, ControllerType, ControllerNumber, ControllerLocation, ReadOnly
            """);
        IReadOnlyList<PwshError> errors = _home.Errors($"""
            Set-Location '{_home.Path}'
            Add-VMHardDiskDrive web a.img
            Add-VMHardDiskDrive web missing.img
            """);

        Assert.Equal(
            $$"""[{"Path":"{{_home.Path}}/a.img","ControllerType":"Virtio","ControllerNumber":0,"ControllerLocation":0,"ReadOnly":false},{"Path":"{{_home.Path}}/b.img","ControllerType":"Virtio","ControllerNumber":0,"ControllerLocation":1,"ReadOnly":true}]""",
            drives.GetRawText());
        Assert.Equal(["InvalidArgument", "InvalidArgument"], errors.Select(e => e.Category));
        Assert.Equal($"'{_home.Path}/a.img' is already attached to 'web'.", errors[0].Message);
        Assert.Equal($"The disk image file '{_home.Path}/missing.img' does not exist.", errors[1].Message);
    }
}
