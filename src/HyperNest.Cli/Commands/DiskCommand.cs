using System.CommandLine;
using System.Globalization;
using HyperNest.Cli.Json;
using HyperNest.Management.Disks;
using HyperNest.Management.Store;
using HyperNest.Vmm;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest disk new|show|resize|convert</c>: disk image files, Hyper-V's New-VHD, Get-VHD, Resize-VHD and Convert-VHD
/// (the rules are <see cref="VhdManager"/>'s).
/// </summary>
public static class DiskCommand
{
    public static Command Create(TextWriter stdout)
    {
        var disk = new Command("disk", "Disk image files: make, show, resize, convert (New-VHD, Get-VHD, Resize-VHD, Convert-VHD)");
        disk.Subcommands.Add(New(stdout));
        disk.Subcommands.Add(Show(stdout));
        disk.Subcommands.Add(Resize(stdout));
        disk.Subcommands.Add(Convert(stdout));
        return disk;
    }

    private static VhdManager Disks() => new(VmStore.OpenDefault());

    private static Argument<string> PathArgument(string description) => new("path") { Description = description };

    private static Command New(TextWriter stdout)
    {
        Argument<string> path = PathArgument("the file to make: NAME.qcow2 for a dynamic or differencing disk, any other name for a fixed (raw) one");
        var size = new Option<string?>("--size") { Description = "the disk's size, e.g. 10G or 4096B (a bare number is MiB; a multiple of 512 bytes); a differencing disk's defaults to its parent's" };
        var type = new Option<string?>("--type") { Description = "dynamic (default: qcow2, grows as written), fixed (raw, all space allocated) or differencing (needs --parent)" };
        var parent = new Option<string?>("--parent") { Description = "the parent of a differencing disk (raw or qcow2)" };
        var blockSize = new Option<string?>("--block-size") { Description = "qcow2 cluster size, a power of two from 512 to 2M (default 64K)" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("new", "Make a disk image (New-VHD)", parse =>
        {
            string? parentPath = parse.GetValue(parent);
            VhdType vhdType = parse.GetValue(type) is { } named ? TypeOf(named, "--type") : parentPath is null ? VhdType.Dynamic : VhdType.Differencing;
            Write(stdout, Disks().New(new NewVhdOptions
            {
                Path = parse.GetValue(path)!,
                Type = vhdType,
                SizeBytes = Bytes(parse.GetValue(size), "--size"),
                ParentPath = parentPath,
                BlockSizeBytes = Bytes(parse.GetValue(blockSize), "--block-size"),
            }), parse.GetValue(json));
        }, path, size, type, parent, blockSize, json);
    }

    private static Command Show(TextWriter stdout)
    {
        Argument<string> path = PathArgument("the disk image");
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("show", "Show a disk image: format, type, sizes, parent, the VMs it is attached to (Get-VHD)",
            parse => Write(stdout, Disks().Get(parse.GetValue(path)!), parse.GetValue(json)), path, json);
    }

    private static Command Resize(TextWriter stdout)
    {
        Argument<string> path = PathArgument("the disk image (raw or qcow2) of no running VM");
        var size = new Option<string?>("--size") { Description = "the new size, e.g. 20G (a multiple of 512 bytes)" };
        var minimum = new Option<bool>("--to-minimum") { Description = "shrink to the end of its data (its MinimumSize)" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("resize", "Grow or shrink a disk image; a shrink that would cut data is refused (Resize-VHD)", parse =>
        {
            string file = parse.GetValue(path)!;
            Write(stdout, (Bytes(parse.GetValue(size), "--size"), parse.GetValue(minimum)) switch
            {
                ({ } bytes, false) => Disks().Resize(file, bytes),
                (null, true) => Disks().ResizeToMinimum(file),
                _ => throw new UsageException("give either --size or --to-minimum"),
            }, parse.GetValue(json));
        }, path, size, minimum, json);
    }

    private static Command Convert(TextWriter stdout)
    {
        Argument<string> source = PathArgument("the disk image to convert: raw, qcow2, .vhdx or .vhd (by its name)");
        var destination = new Argument<string>("destination") { Description = "the new file: NAME.qcow2 for qcow2, any other name (not .vhdx, .vhd) for raw" };
        var type = new Option<string?>("--type") { Description = "fixed (raw) or dynamic (qcow2); must agree with the destination's name" };
        var deleteSource = new Option<bool>("--delete-source") { Description = "delete the source once converted" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("convert", "Copy a disk image into another format with qemu-img (Convert-VHD)", parse =>
            Write(stdout, Disks().Convert(parse.GetValue(source)!, parse.GetValue(destination)!,
                parse.GetValue(type) is { } named ? TypeOf(named, "--type") : null, parse.GetValue(deleteSource)), parse.GetValue(json)),
            source, destination, type, deleteSource, json);
    }

    private static void Write(TextWriter stdout, VirtualHardDisk disk, bool json)
    {
        if (json)
        {
            VmCli.WriteJson(stdout, disk, CliJsonContext.Default.VirtualHardDisk);
            return;
        }

        VmTable.WriteFields(stdout,
        [
            ("Path", disk.Path), ("VhdFormat", disk.VhdFormat.ToString()), ("VhdType", disk.VhdType.ToString()),
            ("Size", Sized(disk.Size)), ("FileSize", Sized(disk.FileSize)), ("MinimumSize", disk.MinimumSize is { } m ? Sized(m) : "-"),
            ("BlockSize", disk.BlockSize == 0 ? "-" : Sized(disk.BlockSize)), ("ParentPath", disk.ParentPath ?? "-"),
            ("Attached", disk.Attached ? $"True ({string.Join(", ", disk.AttachedTo)})" : "False"),
        ]);
    }

    /// <summary>Bytes, and the short form when it is whole mebibytes: 4294967296 (4 GiB).</summary>
    private static string Sized(long bytes)
    {
        string exact = bytes.ToString(CultureInfo.InvariantCulture);
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{exact} ({ByteSize.Format((ulong)bytes)})" : exact;
    }

    private static long? Bytes(string? text, string option) => VmCli.Size(text, option) is { } bytes
        ? bytes <= long.MaxValue ? (long)bytes : throw new UsageException($"{option} '{text}' is too large")
        : null;

    private static VhdType TypeOf(string text, string option) => text.ToLowerInvariant() switch
    {
        "fixed" => VhdType.Fixed,
        "dynamic" => VhdType.Dynamic,
        "differencing" => VhdType.Differencing,
        _ => throw new UsageException($"{option} '{text}': expected fixed, dynamic or differencing"),
    };
}
