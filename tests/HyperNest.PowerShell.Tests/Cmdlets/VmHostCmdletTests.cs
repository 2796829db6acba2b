using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>Set-VM's settings, Rename-VM, Get-VMHost, Set-VMHost and Measure-VM.</summary>
public sealed class VmHostCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Set_VM_Stores_Notes_Automatic_Actions_Processors_And_Memory_And_Get_VM_Shows_Them()
    {
        JsonElement vm = _home.Json("""
            New-VM web | Out-Null
            Set-VM web -Notes 'front end' -AutomaticStartAction Start -AutomaticStartDelay 20 -AutomaticStopAction ShutDown -ProcessorCount 1 -DynamicMemory -MemoryStartupBytes 1GB -MemoryMaximumBytes 2GB -Passthru
            """)[0];

        Assert.Equal("front end", vm.GetProperty("Notes").GetString());
        Assert.Equal("Start", vm.GetProperty("AutomaticStartAction").GetString());
        Assert.Equal(20, vm.GetProperty("AutomaticStartDelay").GetInt32());
        Assert.Equal("ShutDown", vm.GetProperty("AutomaticStopAction").GetString());
        Assert.True(vm.GetProperty("DynamicMemoryEnabled").GetBoolean());
        Assert.Equal(2L << 30, vm.GetProperty("MemoryMaximum").GetInt64());
        Assert.Equal("front end", _home.VmProperty("web", "Notes"));
    }

    [Fact]
    public void Set_VM_Refuses_Bad_Values_With_Hyper_Vs_Categories_And_Stores_Nothing()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VM web | Out-Null
            Set-VM web -AutomaticStopAction Sometimes
            Set-VM web -DynamicMemory -StaticMemory -Notes x
            Set-VM web -MemoryStartupBytes 513MB -Notes x
            """);

        Assert.Equal(3, errors.Count);
        Assert.Equal("InvalidArgument", errors[0].Category);
        Assert.Equal(("InvalidArgument", "-DynamicMemory and -StaticMemory cannot be given together."), (errors[1].Category, errors[1].Message));
        Assert.Equal("InvalidArgument", errors[2].Category);
        Assert.Contains("multiple of 2 MB", errors[2].Message);
        Assert.Equal("", _home.VmProperty("web", "Notes"));
    }

    [Fact]
    public void Rename_VM_Renames_A_Running_Vm_Which_Goes_On_Running_And_Set_VM_Refuses_Its_Processor_Count()
    {
        IReadOnlyList<PwshError> errors = _home.Errors($"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{BuiltInGuest.HoldArguments}'
            Start-VM web
            Rename-VM web web-old
            Set-VM web-old -ProcessorCount 2
            Rename-VM web-old -NewName '  '
            """);

        Assert.Equal(2, errors.Count);
        Assert.Equal("InvalidOperation", errors[0].Category);
        Assert.Contains("while it is Running: the virtual machine must be Off.", errors[0].Message);
        Assert.Equal("InvalidArgument", errors[1].Category);
        Assert.Equal("Running", _home.VmProperty("web-old", "State"));
        _home.Ok("Stop-VM web-old -TurnOff -Force");
    }

    [Fact]
    public void Get_VMHost_Shows_The_Host_And_Set_VMHost_Changes_The_Range_New_Adapters_Use()
    {
        JsonElement results = _home.Json("""
            Get-VMHost
            Set-VMHost -MacAddressMinimum 00155D020600 -MacAddressMaximum 00155D020600 -Passthru
            (New-VM web).NetworkAdapters[0].MacAddress
            """);

        Assert.Equal(Environment.ProcessorCount, results[0].GetProperty("LogicalProcessorCount").GetInt64());
        Assert.True(results[0].GetProperty("MemoryCapacity").GetInt64() > 0);
        Assert.Equal(Path.Combine(_home.Path, "vms"), results[0].GetProperty("VirtualMachinePath").GetString());
        Assert.Equal("00155D020600", results[1].GetProperty("MacAddressMaximum").GetString());
        Assert.Equal("00155D020600", results[2].GetString());
    }

    [Fact]
    public void Set_VMHost_Refuses_A_Bad_Range_And_Another_Vm_Path_As_InvalidArgument()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            Set-VMHost -MacAddressMinimum 00155D0206FF -MacAddressMaximum 00155D020600
            Set-VMHost -VirtualMachinePath /srv/vms
            """);

        Assert.Equal(["InvalidArgument", "InvalidArgument"], errors.Select(e => e.Category));
        Assert.Contains("is empty", errors[0].Message);
        Assert.Contains("HYPERNEST_HOME", errors[1].Message);
        Assert.Equal("00155D000000", _home.Ok("(Get-VMHost).MacAddressMinimum").Stdout.Trim());
    }

    [Fact]
    public void Measure_VM_Reports_A_Running_Vm_And_Refuses_One_That_Is_Off()
    {
        JsonElement report = _home.Json($"""
            New-VM web -MemoryStartupBytes 256MB | Out-Null
            Set-VMBootSource web -KernelArguments '{BuiltInGuest.HoldArguments}'
            Start-VM web
            Start-Sleep -Seconds 2
            Get-VM web | Measure-VM
            """)[0];
        IReadOnlyList<PwshError> errors = _home.Errors("Stop-VM web -TurnOff -Force; Measure-VM web");

        Assert.Equal("web", report.GetProperty("VMName").GetString());
        Assert.Equal(256, report.GetProperty("AverageMemoryUsage").GetInt64());
        Assert.Equal(256, report.GetProperty("MaximumMemoryUsage").GetInt64());
        Assert.True(report.GetProperty("MeteringDuration").GetProperty("TotalSeconds").GetDouble() >= 1.5);
        Assert.Equal("InvalidOperation", Assert.Single(errors).Category);
        Assert.Matches(@"^VMName\s+AvgCPU\(MHz\)\s+AvgRAM\(M\)", _home.Ok($"""
            Set-VMBootSource web -KernelArguments '{BuiltInGuest.HoldArguments}'; Start-VM web; Measure-VM web | Out-String; Stop-VM web -TurnOff -Force
            """).Lines[0]);
    }
}
