using System.CommandLine;
using HyperNest.Management.Lifecycle;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest vm log NAME [--follow]</c>: the VM's worker.log — its start and settings, the accelerator and why, the
/// emulated host's steps, requests, faults, and how it ended. <c>--follow</c> keeps printing until the VM is off.
/// </summary>
internal static class VmLogCommand
{
    public static Command Create(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines until the VM is off" };
        return VmCli.Verb("log", "Show the worker's log of a VM (start, accelerator, faults, end)", parse =>
        {
            VmManager manager = VmCli.Manager();
            string vm = parse.GetValue(name)!;
            string log = manager.GetWorkerLogPath(vm);
            if (parse.GetValue(follow))
            {
                using var never = new ManualResetEventSlim();
                VmConsoleCommand.Follow(manager, vm, log, stdout, never);
                return;
            }

            if (VmManager.OpenLog(vm, log) is { } stream)
            {
                using var reader = new StreamReader(stream);
                stdout.Write(reader.ReadToEnd());
            }
        }, name, follow);
    }
}
