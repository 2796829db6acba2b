using System.CommandLine;
using HyperNest.Management.Networking;
using HyperNest.Management.Store;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest completion bash|zsh</c>: prints a shell completion script written from hnest's own command tree (verbs,
/// options, what their values are). The script asks <c>hnest completion names vm|switch</c> (hidden) for the names
/// in the store as you type.
/// </summary>
public static class CompletionCommand
{
    public static Command Create(TextWriter stdout)
    {
        var shell = new Argument<string>("shell") { Description = "bash|zsh" };
        var command = new Command("completion",
            "Print a shell completion script: source <(hnest completion bash), or for zsh: source <(hnest completion zsh)")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(shell)!;
            if (name is not ("bash" or "zsh"))
            {
                throw new UsageException($"'{name}' is not a shell hnest writes completion for: bash or zsh");
            }

            stdout.Write(CompletionScript.Write(parse.RootCommandResult.Command, name));
            return ExitCodes.Success;
        });
        command.Subcommands.Add(Names(stdout));
        return command;
    }

    /// <summary>The VMs' or switches' names, one a line, for the script; nothing (and exit 0) when the store cannot be read.</summary>
    private static Command Names(TextWriter stdout)
    {
        var kind = new Argument<string>("kind") { Description = "vm or switch" };
        var command = new Command("names", "The names in the store, one a line") { Hidden = true, Arguments = { kind } };
        command.SetAction(parse =>
        {
            try
            {
                VmStore store = VmStore.OpenDefault();
                IEnumerable<string> names = parse.GetValue(kind) switch
                {
                    CompletionScript.VmNames => store.List().Vms.Select(vm => vm.Name),
                    CompletionScript.SwitchNames => new SwitchStore(store).List().Switches.Select(s => s.Name),
                    _ => [],
                };
                foreach (string name in names.Order(StringComparer.OrdinalIgnoreCase))
                {
                    stdout.WriteLine(name);
                }
            }
            catch (Exception e) when (e is Management.ManagementException or IOException or UnauthorizedAccessException)
            {
                // Completion offers nothing rather than an error in the middle of a command line.
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
