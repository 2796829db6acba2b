using System.CommandLine;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest nested enable NAME</c>: Enable-NestedVm for the CLI. Prints the plan, asks (unless --yes), then shuts the
/// VM down if it runs, exposes virtualization extensions, disables Dynamic Memory and, when asked, turns MAC
/// spoofing on and raises startup memory to the guide's 4 GB.
/// </summary>
public static class NestedEnableCommand
{
    public static Command Create(TextWriter stdout)
    {
        var name = new Argument<string>("name") { Description = "the VM" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var spoofing = VmCli.TrueFalseOption("--mac-spoofing", "turn MAC address spoofing on (true) or leave it (false); asked when omitted");
        var memory = VmCli.TrueFalseOption("--memory-4gb", "raise startup memory to 4 GB (true) or leave it (false); asked when omitted");
        var timeout = new Option<int>("--timeout") { Description = "seconds a running VM may take to shut down", DefaultValueFactory = _ => 30 };
        var command = new Command("enable", "Set a VM up for nesting as the Hyper-V guide says (shows the plan, asks first)")
        {
            name, yes, spoofing, memory, timeout,
        };
        command.SetAction(parse =>
        {
            bool assumeYes = parse.GetValue(yes);
            VmManager manager = VmManager.OpenDefault();
            string vm = manager.GetVm(parse.GetValue(name)!).Name;
            var options = new NestedEnableOptions
            {
                EnableMacSpoofing = VmCli.TrueFalse(parse, spoofing) ?? VmCli.Ask("Turn MAC address spoofing on, so nested guests get network addresses?", assumeYes, stdout),
                RaiseMemoryToRecommended = VmCli.TrueFalse(parse, memory) ?? VmCli.Ask("Raise startup memory to the recommended 4 GB?", assumeYes, stdout),
                ShutdownTimeoutSeconds = parse.GetValue(timeout),
            };
            NestedEnablePlan plan = manager.PlanEnableNested(vm, options);
            if (plan.NothingToDo)
            {
                stdout.WriteLine(plan.AlreadySetUpMessage);
                return ExitCodes.Success;
            }

            stdout.WriteLine($"Enable nested virtualization for '{plan.VmName}':");
            foreach (string step in plan.Steps)
            {
                stdout.WriteLine($"  - {step}");
            }

            if (!VmCli.Ask("Proceed?", assumeYes, stdout))
            {
                stdout.WriteLine("Nothing changed.");
                return ExitCodes.Success;
            }

            manager.EnableNested(vm, options);
            stdout.WriteLine($"'{plan.VmName}' is set up for nesting.");
            return ExitCodes.Success;
        });
        return command;
    }
}
