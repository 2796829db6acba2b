using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// Restart-VM on real VMs (the built-in guest on this host's /dev/kvm, kept running by
/// <see cref="BuiltInGuest.HoldArguments"/>): a hard reset boots the guest again in the same worker, Running
/// throughout, Uptime anew; it asks first, refuses Off VMs as Hyper-V does, and refuses -Type Reboot.
/// </summary>
public sealed class RestartVmCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Restart_VM_Force_Boots_The_Guest_Again_In_The_Same_Worker_With_Uptime_Anew()
    {
        JsonElement result = _home.Json($$"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Start-Sleep -Seconds 3
            $before = Get-VM web
            $after = Restart-VM web -Force -Passthru
            $log = Join-Path $before.Path console.log
            $deadline = (Get-Date).AddSeconds(10)
            while (@(Select-String -Path $log -Pattern 'built-in guest: 1 vCPU').Count -lt 2 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $now = Get-VM web
            [pscustomobject]@{
                State = $after.State.ToString()
                Banners = @(Select-String -Path $log -Pattern 'built-in guest: 1 vCPU').Count
                SameWorker = $now.WorkerPid -eq $before.WorkerPid
                UptimeStartedOver = $now.Uptime -lt $before.Uptime
                Now = $now.State.ToString()
            }
            Stop-VM web -TurnOff
            """)[0];

        Assert.Equal("Running", result.GetProperty("State").GetString());
        Assert.Equal(2, result.GetProperty("Banners").GetInt32());
        Assert.True(result.GetProperty("SameWorker").GetBoolean());
        Assert.True(result.GetProperty("UptimeStartedOver").GetBoolean());
        Assert.Equal("Running", result.GetProperty("Now").GetString());
    }

    [Fact]
    public void Restart_VM_Asks_First_And_WhatIf_Changes_Nothing()
    {
        // -NonInteractive: no one to ask, so the command fails and the guest is not reset.
        IReadOnlyList<PwshError> errors = _home.Errors($$"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Restart-VM web
            """);
        string[] lines = _home.Ok("""
            Restart-VM web -Force -WhatIf
            $log = Join-Path (Get-VM web).Path console.log
            Start-Sleep -Milliseconds 500
            @(Select-String -Path $log -Pattern 'built-in guest: 1 vCPU').Count
            Stop-VM web -TurnOff
            """).Lines;

        PwshError error = Assert.Single(errors);
        Assert.Contains("NonInteractive", error.Message);
        Assert.Single(lines, l => l.StartsWith("What if: ", StringComparison.Ordinal));
        Assert.Equal("1", lines[^1]);
    }

    [Fact]
    public void Restart_VM_Of_An_Off_VM_Is_Hyper_V_s_InvalidOperation_And_Type_Reboot_Is_Refused()
    {
        IReadOnlyList<PwshError> errors = _home.Errors($$"""
            New-VM web | Out-Null
            Restart-VM web -Force
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Restart-VM web -Force -Type Reboot
            Stop-VM web -TurnOff
            """);

        Assert.Equal(["InvalidOperation", "OperationStopped"], errors.Select(e => e.Category));
        Assert.Equal("'web' failed to change state (Restart while Off): The operation cannot be performed while the virtual machine is in its current state.", errors[0].Message);
        Assert.StartsWith("'web' cannot be rebooted by its guest's OS: HyperNest has no channel to ask it", errors[1].Message);
        Assert.All(errors, e => Assert.Equal("web", e.Target));
    }
}
