using System.CommandLine;
using System.Globalization;
using HyperNest.Cli.Json;
using HyperNest.Management.Checkpoints;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest vm checkpoint new|list|restore|remove|rename</c>: Hyper-V's Checkpoint-VM, Get-VMSnapshot,
/// Restore-VMSnapshot, Remove-VMSnapshot and Rename-VMSnapshot. A checkpoint is named by its name (every checkpoint of
/// that name, as Hyper-V takes names) or its id.
/// </summary>
internal static class VmCheckpointCommands
{
    public static Command Create(TextWriter stdout)
    {
        var checkpoint = new Command("checkpoint", "Standard checkpoints: disks, memory and device state (Checkpoint-VM, Get/Restore/Remove/Rename-VMSnapshot)");
        checkpoint.Subcommands.Add(New(stdout));
        checkpoint.Subcommands.Add(List(stdout));
        checkpoint.Subcommands.Add(Restore(stdout));
        checkpoint.Subcommands.Add(Remove(stdout));
        checkpoint.Subcommands.Add(Rename(stdout));
        return checkpoint;
    }

    private static Command New(TextWriter stdout)
    {
        Argument<string> vm = VmCli.NameArgument();
        var name = new Argument<string?>("checkpoint") { Description = "its name (default: \"VM - (date - time)\")", Arity = ArgumentArity.ZeroOrOne };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("new", "Take a checkpoint of a VM that is off, saved, running or paused (Checkpoint-VM)",
            parse => Write(stdout, [VmCli.Manager().Checkpoint(parse.GetValue(vm)!, parse.GetValue(name))], parse.GetValue(json)), vm, name, json);
    }

    private static Command List(TextWriter stdout)
    {
        Argument<string> vm = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("list", "List a VM's checkpoints, oldest first (Get-VMSnapshot)",
            parse => Write(stdout, VmCli.Manager().GetCheckpoints(parse.GetValue(vm)!), parse.GetValue(json)), vm, json);
    }

    private static Command Restore(TextWriter stdout)
    {
        Argument<string> vm = VmCli.NameArgument();
        Argument<string> name = CheckpointArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("restore", "Apply a checkpoint to a VM that is off or saved (Restore-VMSnapshot): its present disks and state are discarded",
            parse => Write(stdout, [VmCli.Manager().RestoreCheckpoint(parse.GetValue(vm)!, parse.GetValue(name)!)], parse.GetValue(json)), vm, name, json);
    }

    private static Command Remove(TextWriter stdout)
    {
        Argument<string> vm = VmCli.NameArgument();
        Argument<string> name = CheckpointArgument();
        var children = new Option<bool>("--include-children") { Description = "also remove every checkpoint below it (-IncludeAllChildSnapshots)" };
        return VmCli.Verb("remove", "Remove a checkpoint (Remove-VMSnapshot): its disk changes are merged, nothing the VM or other checkpoints hold is lost",
            parse =>
            {
                VmCli.Manager().RemoveCheckpoint(parse.GetValue(vm)!, parse.GetValue(name)!, parse.GetValue(children));
                stdout.WriteLine($"{parse.GetValue(vm)}: checkpoint '{parse.GetValue(name)}' removed");
            }, vm, name, children);
    }

    private static Command Rename(TextWriter stdout)
    {
        Argument<string> vm = VmCli.NameArgument();
        Argument<string> name = CheckpointArgument();
        var newName = new Argument<string>("new-name") { Description = "the checkpoint's new name" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("rename", "Rename a checkpoint (Rename-VMSnapshot)",
            parse => Write(stdout, VmCli.Manager().RenameCheckpoint(parse.GetValue(vm)!, parse.GetValue(name)!, parse.GetValue(newName)!), parse.GetValue(json)),
            vm, name, newName, json);
    }

    private static Argument<string> CheckpointArgument() => new("checkpoint") { Description = "the checkpoint's name (every checkpoint of that name) or id" };

    private static void Write(TextWriter stdout, IReadOnlyList<CheckpointInfo> checkpoints, bool json)
    {
        if (json)
        {
            VmCli.WriteJson(stdout, checkpoints, CliJsonContext.Default.IReadOnlyListCheckpointInfo);
            return;
        }

        VmTable.WriteRows(stdout,
        [
            ["VMName", "Name", "SnapshotType", "CreationTime", "ParentSnapshotName", "State", "Id"],
            .. checkpoints.Select(c => new[]
            {
                c.VmName, c.Name, c.SnapshotType,
                c.CreationTime.LocalDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), c.ParentName ?? "-", c.State.ToString(), c.Id.ToString(),
            }),
        ]);
    }
}
