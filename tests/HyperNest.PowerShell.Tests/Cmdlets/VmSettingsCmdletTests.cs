using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>New-VM, Get-VM, Set-VMProcessor, Set-VMMemory and Set-VMBootSource on VMs that stay Off.</summary>
public sealed class VmSettingsCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void New_VM_Has_Hyper_V_Defaults_And_One_Network_Adapter()
    {
        JsonElement vm = _home.Json("New-VM").EnumerateArray().Single();

        Assert.Equal("New Virtual Machine", vm.GetProperty("Name").GetString());
        Assert.Equal("Off", vm.GetProperty("State").GetString());
        Assert.Equal(512L << 20, vm.GetProperty("MemoryStartup").GetInt64());
        Assert.Equal(1, vm.GetProperty("ProcessorCount").GetInt64());
        Assert.False(vm.GetProperty("DynamicMemoryEnabled").GetBoolean());
        JsonElement adapter = vm.GetProperty("NetworkAdapters").EnumerateArray().Single();
        Assert.Equal("Network Adapter", adapter.GetProperty("Name").GetString());
        Assert.Matches("^00155D[0-9A-F]{6}$", adapter.GetProperty("MacAddress").GetString());
        Assert.True(adapter.GetProperty("DynamicMacAddressEnabled").GetBoolean());
        Assert.Equal("Off", adapter.GetProperty("MacAddressSpoofing").GetString());
    }

    [Fact]
    public void New_VM_Takes_Positional_Memory_And_Generation_A_Switch_And_A_Disk_Image()
    {
        string disk = Path.Combine(_home.Path, "disk.img");
        File.WriteAllBytes(disk, new byte[4096]);
        SwitchRecord.Write(_home.Path, "lab");

        JsonElement vms = _home.Json($"""
            New-VM web 2GB 2 -SwitchName lab
            Set-Location '{_home.Path}'
            New-VM db -VHDPath ./disk.img
            """);

        JsonElement web = vms[0];
        Assert.Equal(2L << 30, web.GetProperty("MemoryStartup").GetInt64());
        Assert.Equal("lab", web.GetProperty("NetworkAdapters")[0].GetProperty("SwitchName").GetString());
        Assert.Equal(disk, vms[1].GetProperty("HardDrives")[0].GetProperty("Path").GetString());
    }

    [Fact]
    public void Get_VM_Finds_By_Name_Wildcard_Id_And_Pipeline()
    {
        JsonElement names = _home.Json("""
            'web1', 'web2', 'db' | ForEach-Object { New-VM $_ } | Out-Null
            (Get-VM).Name -join ','
            (Get-VM WEB*).Name -join ','
            (Get-VM nothing*).Count
            (Get-VM -Id (Get-VM db).Id).Name
            ('db', 'web2' | Get-VM).Name -join ','
            (Get-VM web1).VMName
            """);

        Assert.Equal("""["db,web1,web2","web1,web2",0,"db","db,web2","web1"]""", names.GetRawText());
    }

    [Fact]
    public void Get_VM_Shows_Hyper_V_s_Table()
    {
        string[] lines = _home.Ok("New-VM web -MemoryStartupBytes 1GB | Out-Null; Get-VM | Out-String").Lines;

        Assert.Matches(@"^Name\s+State\s+CPUUsage\(%\)\s+MemoryAssigned\(M\)\s+Uptime\s+Status$", lines[0]);
        Assert.Matches(@"^web\s+Off\s+0\s+0\s+00:00:00\s+Operating normally$", lines[2]);
    }

    [Fact]
    public void Set_VMProcessor_By_Name_Position_And_Pipeline()
    {
        JsonElement processors = _home.Json("""
            New-VM web | Out-Null; New-VM db | Out-Null
            Set-VMProcessor web 2 -Passthru
            Get-VM db | Set-VMProcessor -ExposeVirtualizationExtensions $true -Passthru
            Set-VMProcessor -VMName db -Count 2
            Get-VMProcessor -VM (Get-VM db)
            """);

        Assert.Equal(
            """[{"VMName":"web","Count":2,"ExposeVirtualizationExtensions":false},{"VMName":"db","Count":1,"ExposeVirtualizationExtensions":true},{"VMName":"db","Count":2,"ExposeVirtualizationExtensions":true}]""",
            Without(processors, "VMId"));
    }

    [Fact]
    public void Set_VMMemory_Sets_Every_Hyper_V_Setting()
    {
        JsonElement memory = _home.Json("""
            New-VM web | Out-Null
            Set-VMMemory web -DynamicMemoryEnabled $true -StartupBytes 1GB -MinimumBytes 256MB -MaximumBytes 4GB -Buffer 30 -Priority 80 -Passthru
            """);

        Assert.Equal(
            """[{"VMName":"web","DynamicMemoryEnabled":true,"Startup":1073741824,"Minimum":268435456,"Maximum":4294967296,"Buffer":30,"Priority":80}]""",
            Without(memory, "VMId"));
    }

    [Fact]
    public void Set_VMBootSource_Resolves_Paths_From_The_PowerShell_Location_And_Goes_Back_To_The_Built_In_Guest()
    {
        string kernel = Path.Combine(_home.Path, "bzImage");
        File.WriteAllBytes(kernel, [0]);

        JsonElement boots = _home.Json($"""
            New-VM web | Out-Null
            Set-Location '{_home.Path}'
            Set-VMBootSource web -KernelPath ./bzImage -KernelArguments 'console=ttyS0' -Passthru | Select-Object KernelPath, KernelArguments
            Set-VMBootSource web -BuiltIn -Passthru | Select-Object KernelPath, KernelArguments
            """);

        Assert.Equal($$"""[{"KernelPath":"{{kernel}}","KernelArguments":"console=ttyS0"},{"KernelPath":null,"KernelArguments":"console=ttyS0"}]""", boots.GetRawText());
    }

    [Fact]
    public void WhatIf_Changes_No_Setting()
    {
        string disk = Path.Combine(_home.Path, "disk.img");
        File.WriteAllBytes(disk, new byte[4096]);

        PwshResult result = _home.Ok($$"""
            New-VM web | Out-Null
            $before = Get-VM | ConvertTo-Json -Depth 3
            New-VM db -WhatIf
            Set-VMProcessor web -Count 2 -ExposeVirtualizationExtensions $true -WhatIf
            Set-VMMemory web -StartupBytes 1GB -WhatIf
            Set-VMBootSource web -KernelArguments x -WhatIf
            Set-VM web -Accelerator Emulated -WhatIf
            Get-VMNetworkAdapter web | Set-VMNetworkAdapter -MacAddressSpoofing On -WhatIf
            Add-VMNetworkAdapter web -Name second -WhatIf
            Remove-VMNetworkAdapter web 'Network Adapter' -WhatIf
            Add-VMHardDiskDrive web '{{disk}}' -WhatIf
            Remove-VM web -WhatIf
            if ((Get-VM | ConvertTo-Json -Depth 3) -ne $before) { throw 'something changed' }
            """);

        Assert.Equal(10, result.Lines.Count(l => l.StartsWith("What if: ", StringComparison.Ordinal)));
    }

    /// <summary>The JSON array with one property left out of every object (ids differ from run to run).</summary>
    private static string Without(JsonElement array, string property) =>
        JsonSerializer.Serialize(array.EnumerateArray().Select(o => o.EnumerateObject().Where(p => p.Name != property).ToDictionary(p => p.Name, p => p.Value)));
}
