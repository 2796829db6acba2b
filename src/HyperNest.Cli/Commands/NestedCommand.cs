using System.CommandLine;
using System.Text.Json;
using HyperNest.Cli.Json;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest nested status [--json]</c>: can this host run nested guests, and if not, why and how to fix it.</summary>
public static class NestedCommand
{
    public static Command Create(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "print the verdict as JSON for scripts" };
        var status = new Command("status",
            "Host verdict YES/NO for nested virtualization, the emulated host's verdict, what --accel auto picks, every reason with its fix, and the facts")
        {
            json,
        };
        status.SetAction(parse =>
        {
            NestedHostStatus host = NestedHostStatus.Evaluate();
            IReadOnlyList<NestedVmVerdict> vms = VmManager.OpenDefault().GetNestedVerdicts(host.Host);
            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(NestedStatusDocument.For(host, vms), CliJsonContext.Default.NestedStatusDocument));
            }
            else
            {
                new NestedStatusText(stdout, NestedStatusText.ShouldColour(stdout)).Write(host, vms);
            }

            return ExitCodes.Success;
        });
        return new Command("nested", "Nested virtualization: whether this host and its VMs can run VMs inside VMs")
        {
            status,
            NestedEnableCommand.Create(stdout),
        };
    }

    /// <summary>
    /// Throws <see cref="UsageException"/> with the host verdict's first reason when this host cannot expose
    /// virtualization extensions; the engine's own check stays as the last line of defence.
    /// </summary>
    public static void EnsureHostSupportsNested()
    {
        NestedHostVerdict verdict = NestedHostVerdict.Evaluate();
        if (verdict.FirstBlockingReason() is { } reason)
        {
            throw new UsageException($"cannot expose virtualization extensions: {reason}");
        }
    }
}
