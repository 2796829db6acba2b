using HyperNest.Worker;
using System.CommandLine;
using HyperNest.Management.Worker;

namespace HyperNest.Cli.Commands;

/// <summary>The hidden <c>hnest worker --home H --vm ID</c> verb: the process that runs one VM (started by <c>vm start</c>).</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var home = new Option<string>("--home") { Required = true };
        var vm = new Option<Guid>("--vm") { Required = true };
        var command = new Command(WorkerLauncher.Verb, "Run one VM for the management store (internal)") { home, vm };
        command.Hidden = true;
        command.SetAction(parse => VmWorker.Run(parse.GetValue(home)!, parse.GetValue(vm)));
        return command;
    }
}
