using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// Checkpoint-VM, Get-VMSnapshot (Get-VMCheckpoint), Restore-VMSnapshot, Rename-VMSnapshot and Remove-VMSnapshot as a
/// Hyper-V administrator types them: on this host's KVM the built-in guest held up with a raw disk attached is
/// checkpointed running, put back to that checkpoint (Saved), started (the same run: one banner) and shut down by
/// Stop-VM; off, the checkpoints form a tree and their removal merges the disk's changes (qemu-img compare).
/// </summary>
public sealed class CheckpointVmCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();
    private readonly string _disk;

    public CheckpointVmCmdletTests()
    {
        _disk = Path.Combine(_home.Path, "web.raw");
        byte[] content = new byte[1 << 20];
        new Random(5).NextBytes(content);
        File.WriteAllBytes(_disk, content);
    }

    public void Dispose() => _home.Dispose();

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Running_Vm_Restored_To_Its_Checkpoint_Is_Saved_Then_Continues_And_Shuts_Down()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        string[] seen = [.. _home.Json($$"""
            New-VM -Name web -MemoryStartupBytes 64MB | Out-Null
            Add-VMHardDiskDrive web -Path '{{_disk}}'
            Set-VMBootSource web -KernelArguments '{{BuiltInGuest.HoldArguments}}'
            Start-VM web
            Start-Sleep -Milliseconds 500
            Checkpoint-VM web -SnapshotName before -Passthru | ForEach-Object { $_.SnapshotType + '/' + $_.State }
            Stop-VM web -TurnOff
            Get-VMCheckpoint web before | Restore-VMSnapshot -Confirm:$false
            (Get-VM web).State.ToString()
            Start-VM web
            (Get-VM web).State.ToString()
            Stop-VM web
            (Get-VM web).State.ToString()
            """).EnumerateArray().Select(s => s.GetString()!)];

        Assert.Equal(["Standard/Saved", "Saved", "Running", "Off"], seen);
        string console = File.ReadAllText(Directory.GetFiles(Path.Combine(_home.Path, "vms"), "console.log", SearchOption.AllDirectories).Single());
        Assert.Single(console.Split('\n'), line => line.StartsWith("HyperNest built-in guest: 1 vCPU(s)", StringComparison.Ordinal));
        Assert.Contains("power button pressed, powering off", console);
    }

    [SkippableFact]
    public void Checkpoints_Of_An_Off_Vm_Form_A_Tree_And_Removing_Them_Merges_The_Disk()
    {
        QemuImg.SkipUnlessAvailable();
        string[] seen = [.. _home.Json($$"""
            New-VM -Name web -MemoryStartupBytes 64MB | Out-Null
            Add-VMHardDiskDrive web -Path '{{_disk}}'
            Checkpoint-VM web first
            Checkpoint-VM -Name web -SnapshotName second
            Get-VMSnapshot -VMName web | ForEach-Object { "$($_.Name)<$($_.ParentSnapshotName)" }
            Rename-VMSnapshot -VMName web -Name second -NewName last
            (Get-VMSnapshot web -Name last).Name
            (Get-VMHardDiskDrive web).Path
            """).EnumerateArray().Select(s => s.GetString()!)];
        Assert.Equal(["first<", "second<first", "last"], seen[..3]);
        string overlay = seen[3];
        QemuImg.Io(overlay, "write -P 0x44 4k 64k");
        string before = Path.Combine(_home.Path, "before.raw");
        QemuImg.Ok("convert", "-f", "qcow2", "-O", "raw", overlay, before);

        string[] after = [.. _home.Json("""
            Get-VMSnapshot web -Name last | Remove-VMSnapshot
            (Get-VMSnapshot web).Name
            Remove-VMSnapshot -VMName web
            (Get-VMHardDiskDrive web).Path
            "$(@(Get-VMSnapshot web).Count)"
            """).EnumerateArray().Select(s => s.GetString()!)];

        Assert.Equal(["first", _disk, "0"], after);
        Assert.False(File.Exists(overlay));
        QemuImg.AssertIdentical(before, "raw", _disk, "raw");
    }

    [Fact]
    public void An_Unknown_Checkpoint_Is_ObjectNotFound()
    {
        _home.Ok("New-VM -Name web -MemoryStartupBytes 64MB | Out-Null");

        PwshError error = Assert.Single(_home.Errors("Restore-VMSnapshot -VMName web -Name nope -Confirm:$false"));

        Assert.Equal(("ObjectNotFound", "HyperNest was unable to find a checkpoint named \"nope\" of virtual machine \"web\"."), (error.Category, error.Message));
    }
}
