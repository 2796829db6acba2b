using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// Start-VM, Suspend-VM, Resume-VM, Stop-VM and Remove-VM on real VMs: the built-in guest on this host's /dev/kvm,
/// kept running by <see cref="BuiltInGuest.HoldArguments"/>.
/// </summary>
public sealed class VmLifecycleCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void New_VM_Starts_Running_And_Stop_VM_TurnOff_Returns_It_To_Off()
    {
        string shown = _home.Ok($"""
            New-VM -Name PlainVM | Out-Null
            Set-VMBootSource PlainVM -KernelArguments '{BuiltInGuest.HoldArguments}'
            Start-VM PlainVM
            Get-VM PlainVM | Out-String
            """).Stdout;

        Assert.Matches(@"PlainVM\s+Running\s+\d+\s+512\s+\d\d:\d\d:\d\d\s+Operating normally", shown);

        // As in Hyper-V, -TurnOff does not ask (only -Confirm would).
        PwshResult stop = _home.Run("Stop-VM PlainVM -TurnOff; (Get-VM PlainVM).State.ToString()");

        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("Off", stop.Lines[^1]);
    }

    [Fact]
    public void Get_VM_Output_Pipes_Into_Every_State_Change()
    {
        JsonElement states = _home.Json($"""
            New-VM web1 | Out-Null; New-VM web2 | Out-Null
            Get-VM | Set-VMBootSource -KernelArguments '{BuiltInGuest.HoldArguments}'
            Get-VM web* | Start-VM
            (Get-VM).State
            Get-VM | Suspend-VM -Passthru | ForEach-Object State
            Get-VM | Resume-VM -Passthru | ForEach-Object State
            Get-VM | Stop-VM -TurnOff -Force -Passthru | ForEach-Object State
            """);

        Assert.Equal(["Running", "Running", "Paused", "Paused", "Running", "Running", "Off", "Off"], states.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void Same_State_Request_Is_A_Warning_And_Others_Are_InvalidOperation()
    {
        JsonElement output = _home.Json($$"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Start-VM web 3>&1 | ForEach-Object { "warning: $_" }
            Resume-VM web 3>&1 | ForEach-Object { "warning: $_" }
            """);
        IReadOnlyList<PwshError> errors = _home.Errors("""
            Set-VMProcessor web -Count 1 -ExposeVirtualizationExtensions $true
            Remove-VM web -Confirm:$false
            Stop-VM web -TurnOff -Force
            Suspend-VM web
            """);

        Assert.Equal(
            ["warning: 'web': The virtual machine is already in the specified state.", "warning: 'web': The virtual machine is already in the specified state."],
            output.EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(["InvalidOperation", "InvalidOperation", "InvalidOperation"], errors.Select(e => e.Category));
        Assert.Contains("while it is Running: the virtual machine must be Off", errors[0].Message);
        Assert.Equal("'web' is Running: turn it off first, or force the removal (which turns it off).", errors[1].Message);
        Assert.Equal("'web' failed to change state (Suspend while Off): The operation cannot be performed while the virtual machine is in its current state.", errors[2].Message);
        Assert.All(errors, e => Assert.Equal("web", e.Target));
    }

    [Fact]
    public void WhatIf_Changes_No_State()
    {
        string[] lines = _home.Ok($$"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web -WhatIf
            (Get-VM web).State.ToString()
            Start-VM web
            Suspend-VM web -WhatIf; Stop-VM web -WhatIf; Stop-VM web -TurnOff -WhatIf; Stop-VM web -TurnOff -Force -WhatIf; Remove-VM web -Force -WhatIf
            (Get-VM web).State.ToString()
            Stop-VM web -TurnOff -Confirm:$false
            (Get-VM web).State.ToString()
            """).Lines;

        Assert.Equal(6, lines.Count(l => l.StartsWith("What if: ", StringComparison.Ordinal)));
        Assert.Equal(["Off", "Running", "Off"], lines.Where(l => !l.StartsWith("What if: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Remove_VM_Asks_First_And_Does_Nothing_When_It_Cannot()
    {
        // -NonInteractive: no one to ask, so the command fails and the VM is left as it was.
        IReadOnlyList<PwshError> errors = _home.Errors($$"""
            New-VM web | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Remove-VM web
            if ((Get-VM web).State -ne 'Running') { throw 'the VM changed' }
            Stop-VM web -TurnOff
            """);

        Assert.Single(errors);
        Assert.All(errors, e => Assert.Contains("NonInteractive", e.Message));
    }

    [Fact]
    public void Remove_VM_Force_Turns_Off_And_Removes_A_Running_VM()
    {
        JsonElement left = _home.Json($"""
            New-VM web | Out-Null; New-VM db | Out-Null
            Set-VMBootSource web -KernelArguments '{BuiltInGuest.HoldArguments}'
            Start-VM web
            Get-VM web | Remove-VM -Force -Passthru | ForEach-Object Name
            (Get-VM).Name
            """);

        Assert.Equal(["web", "db"], left.EnumerateArray().Select(n => n.GetString()));
    }
}
