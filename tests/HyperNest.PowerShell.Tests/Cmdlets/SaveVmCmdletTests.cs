namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// Save-VM, Start-VM of a saved VM and Remove-VMSavedState as a Hyper-V administrator types them, on the built-in
/// guest held up on either accelerator (this host's KVM, or the emulated host where there is none): the VM is Saved in between, the restored guest is the same run (one banner) and
/// still shuts down on Stop-VM (the ACPI power button).
/// </summary>
public sealed class SaveVmCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Save_VM_Then_Start_VM_Continues_The_Guest_And_Stop_VM_Shuts_It_Down()
    {
        string[] states = [.. _home.Json($$"""
            New-VM -Name web -MemoryStartupBytes 64MB | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            $log = Get-ChildItem -Recurse -Filter console.log -Path $env:HYPERNEST_HOME | Select-Object -First 1
            foreach ($i in 1..180) { if ((Get-Content -Raw $log.FullName) -match 'holding') { break }; Start-Sleep -Milliseconds 500 }
            Save-VM web
            (Get-VM web).State.ToString()
            Start-VM web
            (Get-VM web).State.ToString()
            Stop-VM web
            (Get-VM web).State.ToString()
            """).EnumerateArray().Select(s => s.GetString()!)];

        Assert.Equal(["Saved", "Running", "Off"], states);
        string console = File.ReadAllText(Directory.GetFiles(Path.Combine(_home.Path, "vms"), "console.log", SearchOption.AllDirectories).Single());
        Assert.Single(console.Split('\n'), line => line.StartsWith("HyperNest built-in guest: 1 vCPU(s)", StringComparison.Ordinal));
        Assert.Contains("power button pressed, powering off", console);
    }

    [Fact]
    public void Remove_VMSavedState_Leaves_The_Vm_Off_And_Save_VM_Of_An_Off_Vm_Is_InvalidOperation()
    {
        string? state = _home.Json($$"""
            New-VM -Name web -MemoryStartupBytes 64MB | Out-Null
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Get-VM web | Save-VM
            Get-VM web | Remove-VMSavedState -Passthru | ForEach-Object { $_.State.ToString() }
            """).EnumerateArray().Single().GetString();
        IReadOnlyList<PwshError> errors = _home.Errors("Save-VM web");

        Assert.Equal("Off", state);
        Assert.Equal("InvalidOperation", Assert.Single(errors).Category);
    }
}
