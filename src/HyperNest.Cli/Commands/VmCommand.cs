using System.CommandLine;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm ...</c>: VMs kept in the store and run by background workers, managed after Hyper-V.</summary>
public static class VmCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var vm = new Command("vm", "Manage VMs in the HyperNest store ($HYPERNEST_HOME): Hyper-V's verbs");
        foreach (Command command in VmLifecycleCommands.Create(stdout, stderr).Concat(VmSettingsCommands.Create(stdout)))
        {
            vm.Subcommands.Add(command);
        }

        vm.Subcommands.Add(VmDeviceCommands.Adapter(stdout));
        vm.Subcommands.Add(VmDeviceCommands.Disk(stdout, stderr));
        vm.Subcommands.Add(VmCheckpointCommands.Create(stdout));
        vm.Subcommands.Add(VmConsoleCommand.Create(stdout, stderr));
        vm.Subcommands.Add(VmLogCommand.Create(stdout));
        vm.Subcommands.Add(VmMeasureCommand.Create(stdout));
        return vm;
    }
}
