using System.Text.Json;
using System.Text.RegularExpressions;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// The accelerator (libvirt's domain type) through PowerShell: New-VM -Accelerator, Set-VM -Accelerator, and Get-VM's
/// Accelerator and RunningAccelerator.
/// </summary>
public sealed class VmAcceleratorCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void New_VM_Accelerator_Emulated_Is_What_Get_VM_Shows_And_Auto_Is_The_Default()
    {
        JsonElement vms = _home.Json("""
            New-VM web -Accelerator Emulated | Out-Null
            New-VM db | Out-Null
            Get-VM web, db | Select-Object Name, Accelerator, RunningAccelerator
            """);

        Assert.Equal(
            """[{"Name":"web","Accelerator":"Emulated","RunningAccelerator":null},{"Name":"db","Accelerator":"Auto","RunningAccelerator":null}]""",
            vms.GetRawText());
    }

    [Fact]
    public void Format_List_Shows_Both_Accelerators_And_The_Table_Neither()
    {
        string[] list = _home.Ok("New-VM web -Accelerator Emulated | Out-Null; Get-VM web | Format-List | Out-String").Lines;
        string[] table = _home.Ok("Get-VM | Out-String").Lines;

        Assert.Contains(list, l => Regex.IsMatch(l, @"^Accelerator\s+: Emulated$"));
        Assert.Contains(list, l => Regex.IsMatch(l, @"^RunningAccelerator\s+:$"));
        Assert.DoesNotContain("Accelerator", table[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Set_VM_Accelerator_Changes_The_Setting_By_Name_And_Pipeline_And_Passthru_Writes_The_VM()
    {
        JsonElement output = _home.Json("""
            New-VM web | Out-Null; New-VM db | Out-Null
            Set-VM web -Accelerator Kvm
            (Get-VM web).Accelerator
            Set-VM -VMName web -Accelerator Emulated -Passthru | ForEach-Object { $_.GetType().Name + ' ' + $_.Name + ' ' + $_.Accelerator }
            Get-VM db | Set-VM -Accelerator kvm -Passthru | ForEach-Object { $_.Name + ' ' + $_.Accelerator }
            'web', 'db' | Set-VM -Accelerator Auto
            (Get-VM).Accelerator
            """);

        Assert.Equal(
            ["Kvm", "VirtualMachine web Emulated", "db Kvm", "Auto", "Auto"],
            output.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString() : o.GetRawText()));
    }

    [Fact]
    public void Set_VM_WhatIf_Changes_Nothing()
    {
        string[] lines = _home.Ok("""
            New-VM web | Out-Null
            Set-VM web -Accelerator Emulated -WhatIf
            (Get-VM web).Accelerator.ToString()
            """).Lines;

        Assert.Equal(["What if: Performing the operation \"Set accelerator to Emulated\" on target \"web\".", "Auto"], lines);
    }

    [Fact]
    public void Set_VM_On_A_Running_VM_Is_InvalidOperation_With_The_Library_s_Message_And_Leaves_The_Setting()
    {
        string running = _home.Ok($"""
            New-VM web -Accelerator Emulated | Out-Null
            Set-VMBootSource web -KernelArguments '{BuiltInGuest.HoldArguments}'
            Start-VM web
            (Get-VM web).RunningAccelerator
            """).Stdout.Trim();
        IReadOnlyList<PwshError> errors = _home.Errors("""
            Set-VM web -Accelerator Kvm
            Get-VM | Set-VM -Accelerator Auto -Passthru
            if ((Get-VM web).Accelerator -ne 'Emulated') { throw 'the setting changed' }
            Stop-VM web -TurnOff
            """);

        // Emulated works on every host (it needs no KVM), so the running VM's accelerator is known here.
        Assert.Equal("emulated", running);
        Assert.Equal([("InvalidOperation", "InvalidVMState,HyperNest.PowerShell.Cmdlets.SetVMCommand", "web"), ("InvalidOperation", "InvalidVMState,HyperNest.PowerShell.Cmdlets.SetVMCommand", "web")],
            errors.Select(e => (e.Category, e.Id, e.Target)));
        Assert.All(errors, e => Assert.Equal("Cannot change the accelerator of 'web' while it is Running: the virtual machine must be Off.", e.Message));
    }

    [Fact]
    public void A_Bad_Accelerator_Is_A_Parameter_Binding_Error_That_Names_The_Values_Without_A_Stack_Trace()
    {
        PwshResult result = _home.Run("New-VM web -Accelerator Fast; New-VM db | Out-Null; Set-VM db -Accelerator 7; (Get-VM).Name");
        IReadOnlyList<PwshError> errors = _home.Errors("New-VM web -Accelerator Fast; Set-VM db -Accelerator Fast");

        Assert.Equal(["db"], result.Lines);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            [("InvalidArgument", "CannotConvertArgumentNoMessage,HyperNest.PowerShell.Cmdlets.NewVMCommand"), ("InvalidArgument", "CannotConvertArgumentNoMessage,HyperNest.PowerShell.Cmdlets.SetVMCommand")],
            errors.Select(e => (e.Category, e.Id)));
        Assert.All(errors, e => Assert.StartsWith("Cannot bind parameter 'Accelerator'.", e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("Auto, Kvm, Emulated", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Accelerator_Values_Tab_Complete()
    {
        JsonElement completions = _home.Json("""
            (TabExpansion2 'New-VM web -Accelerator ').CompletionMatches.CompletionText -join ','
            (TabExpansion2 'Set-VM web -Accelerator E').CompletionMatches.CompletionText -join ','
            """);

        Assert.Equal("""["Auto,Emulated,Kvm","Emulated"]""", completions.GetRawText());
    }
}
