using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HyperNest.Kvm;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Store;
using HyperNest.Vmm;
using HyperNest.Vmm.Json;

namespace HyperNest.Cli.Commands;

/// <summary>What the <c>hnest vm</c> verbs share: the manager, the VM-name argument, --json, sizes.</summary>
internal static class VmCli
{
    public static VmManager Manager() => VmManager.OpenDefault();

    public static Argument<string> NameArgument() => new("name") { Description = "the VM's name (or id)" };

    /// <summary>--accel auto|kvm|emulated: where the VM's vCPUs run; auto unless given, or null with <paramref name="defaultAuto"/> false.</summary>
    public static Option<string> AcceleratorOption(bool defaultAuto = true)
    {
        var option = new Option<string>("--accel")
        {
            Description = "where the vCPUs run: auto (kvm when /dev/kvm works, else emulated), kvm, or emulated (slow, needs no KVM)",
        };
        if (defaultAuto)
        {
            option.DefaultValueFactory = _ => "auto";
        }

        return option;
    }

    /// <summary>
    /// An option naming one value of <typeparamref name="TEnum"/> (any case), read with <see cref="EnumValue{TEnum}"/>;
    /// the description lists the values.
    /// </summary>
    public static Option<string?> EnumOption<TEnum>(string name, string description)
        where TEnum : struct, Enum => new(name) { Description = $"{string.Join('|', Enum.GetNames<TEnum>())}: {description}" };

    /// <summary>The value of an <see cref="EnumOption{TEnum}"/>: null when not given.</summary>
    /// <exception cref="UsageException">Not one of the values.</exception>
    public static TEnum? EnumValue<TEnum>(ParseResult parse, Option<string?> option)
        where TEnum : struct, Enum => parse.GetValue(option) switch
        {
            null => null,
            { } text => EnumNameConverter<TEnum>.Parse(text)
                ?? throw new UsageException($"{option.Name} '{ExceptionMessages.Printable(text, maxLength: 40)}': expected {string.Join(", ", Enum.GetNames<TEnum>())}"),
        };

    /// <summary>
    /// A true|false option that must be given its value, read with <see cref="TrueFalse"/>. A bool option would leave
    /// "--dynamic-memory maybe"'s "maybe" behind as an unknown argument, and take a bare "--dynamic-memory" as true.
    /// </summary>
    public static Option<string?> TrueFalseOption(string name, string description) => new(name) { Description = description };

    /// <summary>The value of a <see cref="TrueFalseOption"/>: null when not given.</summary>
    /// <exception cref="UsageException">Neither true nor false.</exception>
    public static bool? TrueFalse(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        null => null,
        { } text when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        { } text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        { } text => throw new UsageException($"{option.Name} '{text}' is not true or false"),
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "print JSON instead of a table" };

    public static void WriteJson<T>(TextWriter stdout, T value, JsonTypeInfo<T> type) =>
        stdout.WriteLine(JsonSerializer.Serialize(value, type));

    public static ulong? Size(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return ByteSize.TryParse(text, out ulong bytes)
            ? bytes
            : throw new UsageException($"{option} '{text}' is not a size (expected e.g. 512M or 2G)");
    }

    /// <summary>A warning line for each disk whose size is not a whole number of 512-byte sectors (the guest cannot reach the tail).</summary>
    public static void WarnOfUnreachableTails(TextWriter stderr, IEnumerable<string> disks)
    {
        foreach (string disk in disks)
        {
            Warn(stderr, Management.Disks.VhdManager.UnreachableTailWarning(disk));
        }
    }

    /// <summary>A yes/no question on the terminal; <paramref name="assumeYes"/> answers yes, and no terminal (no input) answers no.</summary>
    public static bool Ask(string question, bool assumeYes, TextWriter stdout)
    {
        if (assumeYes)
        {
            return true;
        }

        stdout.Write($"{question} [y/N] ");
        stdout.Flush();
        string? answer = Console.In.ReadLine();
        stdout.WriteLine();
        return answer?.Trim().ToUpperInvariant() is "Y" or "YES";
    }

    public static void Warn(TextWriter stderr, string? warning)
    {
        if (warning is not null)
        {
            stderr.WriteLine($"hnest: warning: {warning}");
        }
    }

    /// <summary>
    /// A <c>list</c> verb: the items as JSON (--json) or a table, then each unreadable record of the store as a line
    /// on stderr, and exit code 2 when there was one. <paramref name="type"/> is asked for only with --json: JSON
    /// metadata made while the command tree is built would stay in every hnest process, VM workers included.
    /// </summary>
    public static Command ListVerb<T>(
        string description, TextWriter stdout, TextWriter stderr, Func<(IReadOnlyList<T> Items, IReadOnlyList<StoreProblem> Problems)> read,
        Func<JsonTypeInfo<IReadOnlyList<T>>> type, Action<TextWriter, IReadOnlyList<T>> table)
    {
        Option<bool> json = JsonOption();
        var command = new Command("list", description) { json };
        command.SetAction(parse =>
        {
            (IReadOnlyList<T> items, IReadOnlyList<StoreProblem> problems) = read();
            if (parse.GetValue(json))
            {
                WriteJson(stdout, items, type());
            }
            else
            {
                table(stdout, items);
            }

            foreach (StoreProblem problem in problems)
            {
                stderr.WriteLine($"hnest: {problem.Message}");
            }

            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.BadInput;
        });
        return command;
    }

    /// <summary>A verb whose action returns 0 unless it throws (the CLI edge maps exceptions to exit codes).</summary>
    public static Command Verb(string name, string description, Action<ParseResult> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (Symbol symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
            }
        }

        command.SetAction(parse =>
        {
            action(parse);
            return ExitCodes.Success;
        });
        return command;
    }
}
