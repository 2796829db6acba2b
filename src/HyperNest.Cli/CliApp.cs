using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using HyperNest.Cli.Commands;
using HyperNest.Kvm;
using HyperNest.Emulation;
using HyperNest.Management;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Store;
using HyperNest.Vmm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Cli;

/// <summary>The hnest command tree and the edge where every failure becomes one line and an exit code.</summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= StandardStream.Writer(StandardStream.Output);
        stderr ??= StandardStream.Writer(StandardStream.Error);
        var root = new RootCommand("HyperNest: a KVM hypervisor built for nested virtualization")
        {
            RunCommand.Create(stdout, stderr),
            VmCommand.Create(stdout, stderr),
            SwitchCommand.Create(stdout, stderr),
            DiskCommand.Create(stdout),
            HostCommand.Create(stdout, stderr),
            WorkerCommand.Create(),
            NestedCommand.Create(stdout),
            DebugCommand.Create(stdout),
        };
        root.Subcommands.Add(CompletionCommand.Create(stdout));

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"hnest: {UsageMessage(parse)}");
            return ExitCodes.BadInput;
        }

        try
        {
            if (UsesStore(parse) && VmStore.OpenDefault().Tighten() is { } tightened)
            {
                stderr.WriteLine($"hnest: warning: {tightened}");
            }

            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsExpected(e))
        {
            stderr.WriteLine($"hnest: {Describe(e)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"hnest: unexpected error: {e.UserMessage()}");
            return ExitCodes.UnexpectedError;
        }
    }

    /// <summary>
    /// System.CommandLine's first error in the user's words: a value that is not a number or not true/false is said
    /// so (not ".. as expected type 'System.Int32'"), and an unknown command is named.
    /// </summary>
    private static string UsageMessage(ParseResult parse)
    {
        string message = parse.Errors[0].Message;
        Match typed = Regex.Match(message, "^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'");
        if (typed.Success)
        {
            string type = typed.Groups["type"].Value;
            string value = typed.Groups["value"].Value;
            if (type.Contains("Int", StringComparison.Ordinal) && Regex.IsMatch(value, "^-?[0-9]+$"))
            {
                return $"{typed.Groups["option"].Value} {value} is out of range";
            }

            string expected = type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : type.Contains("Int", StringComparison.Ordinal) ? "a whole number" : "a value of the right kind";
            return $"{typed.Groups["option"].Value} '{value}' is not {expected}";
        }

        return parse.UnmatchedTokens.Count > 0 && message.StartsWith("Required command was not provided", StringComparison.Ordinal)
            ? $"'{parse.UnmatchedTokens[0]}' is not an hnest command (hnest --help lists them)"
            : message;
    }

    /// <summary>The verbs that use the store; the first use of a store that is open wider than its access model tightens it.</summary>
    private static bool UsesStore(ParseResult parse)
    {
        SymbolResult result = parse.CommandResult;
        while (result.Parent is CommandResult { Parent: not null } parent)
        {
            result = parent;
        }

        return result is CommandResult { Command.Name: "vm" or "switch" or "nested" or "host" };
    }

    // UnauthorizedAccessException: a file the store's own checks did not name (its message names the path).
    private static bool IsExpected(Exception e) =>
        e is UsageException or ManagementException or BootException or VmBuildException or DiskException or ArgumentException or EmulationException or UnauthorizedAccessException
        or PathTooLongException ||
        (e is KvmException k && k.Call.StartsWith("open ", StringComparison.Ordinal));

    private static string Describe(Exception e) => e is KvmException kvm ? AcceleratorSelector.Describe(kvm) : e.UserMessage();
}
