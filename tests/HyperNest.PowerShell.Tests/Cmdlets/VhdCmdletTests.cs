using System.Text.Json;
using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>New-VHD, Get-VHD, Resize-VHD, Convert-VHD, New-VM -NewVHDPath and Remove-VMHardDiskDrive, as a Hyper-V administrator types them.</summary>
public sealed class VhdCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    private string PathOf(string name) => Path.Combine(_home.Path, name);

    [SkippableFact]
    public void New_VM_With_A_New_VHD_Attaches_A_Dynamic_Disk_That_Get_VHD_Describes()
    {
        QemuImg.SkipUnlessAvailable();

        JsonElement shown = _home.Json($"""
            Set-Location '{_home.Path}'
            New-VM -Name W -MemoryStartupBytes 1GB -NewVHDPath W.qcow2 -NewVHDSizeBytes 4GB | Out-Null
            Get-VHD W.qcow2 | Select-Object Path, VhdFormat, VhdType, Size, MinimumSize, BlockSize, ParentPath, Attached, VMName
            (Get-VMHardDiskDrive W).Path
            (Get-VM W | Get-VHD).Size
            """);

        Assert.Equal(
            $$"""[{"Path":"{{PathOf("W.qcow2")}}","VhdFormat":"Qcow2","VhdType":"Dynamic","Size":4294967296,"MinimumSize":0,"BlockSize":65536,"ParentPath":null,"Attached":true,"VMName":"W"},"{{PathOf("W.qcow2")}}",4294967296]""",
            shown.GetRawText());
        QemuImg.AssertConsistent(PathOf("W.qcow2"));
    }

    [SkippableFact]
    public void New_VHD_Makes_Fixed_Dynamic_And_Differencing_Disks_And_Resize_VHD_Grows_And_Shrinks_Them()
    {
        QemuImg.SkipUnlessAvailable();

        JsonElement disks = _home.Json($"""
            Set-Location '{_home.Path}'
            New-VHD base.qcow2 64MB | Select-Object VhdFormat, VhdType, Size
            New-VHD -Path fixed.img -SizeBytes 1MB -Fixed | Select-Object VhdFormat, VhdType, FileSize
            New-VHD -Path child.qcow2 -ParentPath base.qcow2 -Differencing | Select-Object VhdType, Size, ParentPath
            Resize-VHD base.qcow2 -SizeBytes 1GB -Passthru | ForEach-Object Size
            Resize-VHD base.qcow2 -ToMinimumSize -Passthru | ForEach-Object Size
            """);

        Assert.Equal(
            $$"""[{"VhdFormat":"Qcow2","VhdType":"Dynamic","Size":67108864},{"VhdFormat":"Raw","VhdType":"Fixed","FileSize":1048576},{"VhdType":"Differencing","Size":67108864,"ParentPath":"{{PathOf("base.qcow2")}}"},1073741824,512]""",
            disks.GetRawText());
        QemuImg.AssertConsistent(PathOf("base.qcow2"));
        QemuImg.AssertConsistent(PathOf("child.qcow2"));
    }

    [SkippableFact]
    public void Convert_VHD_Turns_A_Vhdx_Into_A_Qcow2_Disk_With_The_Same_Content()
    {
        QemuImg.SkipUnlessAvailable();
        var content = new byte[4 << 20];
        new Random(5).NextBytes(content.AsSpan(0, 1 << 20));
        File.WriteAllBytes(PathOf("content.raw"), content);
        QemuImg.Ok("convert", "-f", "raw", "-O", "vhdx", PathOf("content.raw"), PathOf("web.vhdx"));

        JsonElement converted = _home.Json($"""
            Set-Location '{_home.Path}'
            (Get-VHD web.vhdx).VhdFormat
            Convert-VHD -Path web.vhdx -DestinationPath web.qcow2 -Passthru | Select-Object VhdFormat, VhdType, Size
            """);

        Assert.Equal("""["VHDX",{"VhdFormat":"Qcow2","VhdType":"Dynamic","Size":4194304}]""", converted.GetRawText());
        QemuImg.AssertConsistent(PathOf("web.qcow2"));
        QemuImg.AssertIdentical(PathOf("web.vhdx"), "vhdx", PathOf("web.qcow2"), "qcow2");
    }

    [SkippableFact]
    public void Disk_Errors_Are_One_Line_Of_Hyper_Vs_Categories_And_Leave_Nothing_Behind()
    {
        QemuImg.SkipUnlessAvailable();
        File.WriteAllText(PathOf("taken.qcow2"), "mine");

        IReadOnlyList<PwshError> errors = _home.Errors($"""
            Set-Location '{_home.Path}'
            New-VHD taken.qcow2 1MB
            New-VHD d.vhdx 1MB
            Get-VHD missing.qcow2
            New-VHD small.qcow2 1MB | Out-Null
            Resize-VHD small.qcow2 -SizeBytes 1000
            New-VM -Name W -NewVHDPath W.qcow2 -NewVHDSizeBytes 1000
            """);

        Assert.Equal(["ResourceExists", "InvalidArgument", "ObjectNotFound", "InvalidArgument", "InvalidArgument"], errors.Select(e => e.Category));
        Assert.Equal($"'{PathOf("taken.qcow2")}' already exists", errors[0].Message);
        Assert.Contains("give it a name ending in .qcow2", errors[1].Message);
        Assert.Equal($"the virtual hard disk '{PathOf("missing.qcow2")}' does not exist", errors[2].Message);
        Assert.Equal("a size of 1000 bytes is not a positive multiple of 512 (the disk's sector size)", errors[3].Message);
        Assert.All(errors, e => Assert.DoesNotContain('\n', e.Message));
        Assert.False(File.Exists(PathOf("d.vhdx")));
        Assert.False(File.Exists(PathOf("W.qcow2")));
        Assert.Equal("mine", File.ReadAllText(PathOf("taken.qcow2")));
        Assert.Equal("0", _home.Ok("@(Get-VM).Count").Stdout.Trim());
    }

    [Fact]
    public void Remove_VMHardDiskDrive_Detaches_By_Location_Or_From_The_Pipeline_And_Keeps_The_File()
    {
        foreach (string name in new[] { "a.img", "b.img", "c.img" })
        {
            File.WriteAllBytes(PathOf(name), new byte[4096]);
        }

        JsonElement left = _home.Json($$"""
            Set-Location '{{_home.Path}}'
            New-VM web | Out-Null
            'a.img', 'b.img', 'c.img' | ForEach-Object { Add-VMHardDiskDrive web $_ }
            Remove-VMHardDiskDrive -VMName web -ControllerType Virtio -ControllerNumber 0 -ControllerLocation 1 -Passthru | ForEach-Object Path
            (Get-VMHardDiskDrive web).Path
            Get-VMHardDiskDrive web | Where-Object Path -like '*c.img' | Remove-VMHardDiskDrive
            (Get-VMHardDiskDrive web).Path
            """);
        IReadOnlyList<PwshError> errors = _home.Errors("Remove-VMHardDiskDrive web SCSI 0 5");

        Assert.Equal($$"""["{{PathOf("b.img")}}","{{PathOf("a.img")}}","{{PathOf("c.img")}}","{{PathOf("a.img")}}"]""", left.GetRawText());
        Assert.True(File.Exists(PathOf("b.img")));
        Assert.Equal(["ObjectNotFound"], errors.Select(e => e.Category));
        Assert.Equal("HyperNest was unable to find a hard disk drive at SCSI 0:5 on virtual machine \"web\" (its disks are at Virtio 0:0 to 0:0).", errors[0].Message);
    }

    [Fact]
    public void A_Disk_Of_1000_Bytes_Is_Attached_With_A_Warning_Naming_Its_Unreachable_Tail()
    {
        File.WriteAllBytes(PathOf("odd.img"), new byte[1000]);

        JsonElement warnings = _home.Json($"""
            Set-Location '{_home.Path}'
            New-VM web | Out-Null
            Add-VMHardDiskDrive web odd.img -WarningVariable added -WarningAction SilentlyContinue
            New-VM other -VHDPath odd.img -WarningVariable created -WarningAction SilentlyContinue | Out-Null
            $added.Message
            $created.Message
            """);

        string expected = $"disk '{PathOf("odd.img")}' is 1000 bytes, not a multiple of 512: the guest sees 512 bytes (1 sector) and cannot reach its last 488 bytes (bytes 512 to 999)";
        Assert.Equal([expected, expected], warnings.EnumerateArray().Select(w => w.GetString()));
    }
}
