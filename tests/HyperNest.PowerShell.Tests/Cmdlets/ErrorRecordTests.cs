namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>Failures as ErrorRecords: Hyper-V's categories, non-terminating per VM, and pwsh's exit code.</summary>
public sealed class ErrorRecordTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Unknown_VM_Is_ObjectNotFound_With_Hyper_V_s_Message()
    {
        PwshResult result = _home.Run("Get-VM nosuch 2>$null; $Error[0].CategoryInfo.Category.ToString(); $Error[0].FullyQualifiedErrorId; $Error[0].Exception.Message");

        Assert.Equal(
            ["ObjectNotFound", "VMNotFound,HyperNest.PowerShell.Cmdlets.GetVMCommand", "HyperNest was unable to find a virtual machine with name \"nosuch\"."],
            result.Lines);
    }

    [Fact]
    public void Every_Cmdlet_Reports_An_Unknown_VM_As_ObjectNotFound()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            Get-VM nosuch; Start-VM nosuch; Stop-VM nosuch; Suspend-VM nosuch; Resume-VM nosuch; Remove-VM nosuch -Force
            Get-VMProcessor nosuch; Set-VMProcessor nosuch -Count 1; Get-VMMemory nosuch; Set-VMMemory nosuch -Priority 1
            Get-VMNetworkAdapter nosuch; Add-VMNetworkAdapter nosuch; Set-VMNetworkAdapter nosuch -MacAddressSpoofing On
            Remove-VMNetworkAdapter nosuch x; Get-VMHardDiskDrive nosuch; Add-VMHardDiskDrive nosuch x.img; Set-VMBootSource nosuch -BuiltIn
            Set-VM nosuch -Accelerator Kvm
            """);

        Assert.Equal(18, errors.Count);
        Assert.All(errors, e => Assert.Equal(("ObjectNotFound", "nosuch"), (e.Category, e.Target)));
    }

    [Fact]
    public void Invalid_Settings_Are_InvalidArgument_With_The_Library_s_Message()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VM web | Out-Null
            New-VM web
            Set-VMMemory web -MinimumBytes 256MB
            Set-VMMemory web -StartupBytes 1001MB
            Set-VMProcessor web -Count 4096
            Set-VMBootSource web -InitrdPath /etc/hostname
            """);

        Assert.Equal(["InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument"], errors.Select(e => e.Category));
        Assert.Equal("A virtual machine named 'web' already exists.", errors[0].Message);
        Assert.Equal("Setting maximum, minimum, and buffer settings requires Dynamic Memory to be enabled.", errors[1].Message);
        Assert.Contains("The amount of memory must be a multiple of 2 MB.", errors[2].Message);
        Assert.Contains("cannot have more virtual processors (4096)", errors[3].Message);
        Assert.Equal("An initrd needs a kernel: the built-in guest takes no initrd.", errors[4].Message);
    }

    [Fact]
    public void A_Failing_VM_Does_Not_Stop_The_Others()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VM web | Out-Null; New-VM db | Out-Null
            Set-VMProcessor -VMName nosuch, db -Count 2
            Get-VM | Suspend-VM
            if ((Get-VMProcessor db).Count -ne 2) { throw 'db was not changed' }
            """);

        Assert.Equal([("ObjectNotFound", "nosuch"), ("InvalidOperation", "db"), ("InvalidOperation", "web")], errors.Select(e => (e.Category, e.Target)));
    }

    [Fact]
    public void Errors_Set_The_Exit_Code_And_Stop_With_ErrorAction_Stop()
    {
        PwshResult failed = _home.Run("Get-VM nosuch");
        PwshResult caught = _home.Run("try { Get-VM nosuch -ErrorAction Stop; 'not reached' } catch { 'caught ' + $_.CategoryInfo.Category }");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("HyperNest was unable to find a virtual machine with name \"nosuch\".", failed.Stderr);
        Assert.Equal(0, caught.ExitCode);
        Assert.Equal(["caught ObjectNotFound"], caught.Lines);
    }
}
