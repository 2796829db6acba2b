using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using HyperNest.Management.Accelerators;

namespace HyperNest.Cli.Commands;

/// <summary>
/// Writes hnest's shell completion script from its command tree: for every visible command path ("vm start") its
/// subcommands, its options (the recursive ones of its parents too) and what each option value and positional
/// argument is: a VM's or a switch's name (asked of <c>hnest completion names</c> as you type), a file, one of a few
/// words, or anything. One script serves bash and, through bashcompinit, zsh.
/// </summary>
public static partial class CompletionScript
{
    public const string VmNames = "vm";

    public const string SwitchNames = "switch";

    private const string Flag = "flag";

    private const string File = "file";

    public static string Write(Command root, string shell)
    {
        List<(string Path, Command Command, IReadOnlyList<Option> Options)> commands = [.. Walk(root, string.Empty, [])];
        var script = new StringBuilder();
        script.AppendLine(shell == "zsh"
            ? "#compdef hnest\n# zsh completion for hnest, written by `hnest completion zsh`: source <(hnest completion zsh)\nautoload -U +X bashcompinit && bashcompinit"
            : "# bash completion for hnest, written by `hnest completion bash`: source <(hnest completion bash)");

        Function(script, "_hnest_commands", "$1", commands.Select(c => (Quote(c.Path), Words(Visible(c.Command.Subcommands).Select(s => s.Name)))));
        Function(script, "_hnest_options", "$1", commands.Select(c => (Quote(c.Path), Words(c.Options.SelectMany(Names)))));
        Function(script, "_hnest_value", "$1 $2", commands.SelectMany(c => c.Options.Select(o =>
            (string.Join('|', Names(o).Select(n => Quote($"{c.Path} {n}".TrimStart()))), ValueOf(c.Path, o)))));
        Function(script, "_hnest_argument", "$1 $2", commands.SelectMany(c => c.Command.Arguments.Select((a, i) =>
            (Quote($"{c.Path} {i}".TrimStart()) + (a.Arity.MaximumNumberOfValues > 1 ? "|" + Quote($"{c.Path} ").TrimEnd('\'') + $"'[{i + 1}-9]" : string.Empty),
             KindOf(c.Path, a.Name, a.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(x => x.Label), a.Description)))));
        script.Append(Driver);
        return script.ToString();
    }

    private static IEnumerable<(string Path, Command Command, IReadOnlyList<Option> Options)> Walk(Command command, string path, IReadOnlyList<Option> inherited)
    {
        Option[] options = [.. inherited, .. Visible(command.Options)];
        yield return (path, command, options);
        Option[] recursive = [.. options.Where(o => o.Recursive)];
        foreach (Command sub in Visible(command.Subcommands))
        {
            foreach (var entry in Walk(sub, $"{path} {sub.Name}".TrimStart(), recursive))
            {
                yield return entry;
            }
        }
    }

    /// <summary>An option's name and aliases as a Unix shell user types them (not /h, /? or -?).</summary>
    private static IEnumerable<string> Names(Option option) =>
        ((string[])[option.Name, .. option.Aliases]).Where(n => n.StartsWith('-') && n != "-?");

    private static IEnumerable<T> Visible<T>(IEnumerable<T> symbols)
        where T : Symbol => symbols.Where(s => !s.Hidden);

    private static string ValueOf(string path, Option option) =>
        option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0 ? Flag
        : option.Name == "--accel" ? "words " + Words(Enum.GetNames<Accelerator>().Select(n => n.ToLowerInvariant()))
        : KindOf(path, option.Name.TrimStart('-'), option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label), option.Description);

    /// <summary>
    /// What a value named <paramref name="name"/> is: the words its symbol completes to, a VM or switch name, a file,
    /// the words its description starts with ("private|internal|external ..."), or anything (empty).
    /// </summary>
    private static string KindOf(string path, string name, IEnumerable<string> completions, string? description)
    {
        string[] words = [.. completions];
        if (words.Length > 0)
        {
            return "words " + Words(words);
        }

        // The name of the thing "vm new" or "switch new" makes is new: nothing to offer.
        if (name == "name" && path.Split(' ') is [_, "new"])
        {
            return string.Empty;
        }

        if (name == "switch" || (name == "name" && path.StartsWith("switch", StringComparison.Ordinal)))
        {
            return SwitchNames;
        }

        if (name == "name" || (name == "vm" && !path.StartsWith("switch", StringComparison.Ordinal)))
        {
            return VmNames;
        }

        if (name is "path" or "kernel" or "initrd" or "disk" or "file")
        {
            return File;
        }

        return description is not null && LeadingChoices().Match(description) is { Success: true } choices
            ? "words " + choices.Groups[1].Value.Replace('|', ' ')
            : string.Empty;
    }

    /// <summary>A case statement on <paramref name="subject"/> that sets REPLY; REPLY is empty for anything else.</summary>
    private static void Function(StringBuilder script, string name, string subject, IEnumerable<(string Pattern, string Reply)> cases)
    {
        script.AppendLine($"{name}() {{").AppendLine($"    case \"{subject}\" in");
        foreach ((string pattern, string reply) in cases.Where(c => c.Reply.Length > 0))
        {
            script.AppendLine($"        {pattern}) REPLY={Quote(reply)} ;;");
        }

        script.AppendLine("        *) REPLY='' ;;").AppendLine("    esac").AppendLine("}");
    }

    private static string Words(IEnumerable<string> words) => string.Join(' ', words.Distinct());

    /// <summary>Single quotes for the shell; hnest's names and words have none inside.</summary>
    private static string Quote(string text) => $"'{text}'";

    [GeneratedRegex(@"^([A-Za-z0-9-]+(?:\|[A-Za-z0-9-]+)+)\b")]
    private static partial Regex LeadingChoices();

    /// <summary>
    /// The completion function: walks the words before the cursor (a subcommand extends the command path while no
    /// positional argument came yet, an option skips its value, anything else is the next positional argument), then
    /// offers the value the cursor is at. No variable is named path: zsh ties that one to PATH.
    /// </summary>
    private const string Driver = """
        _hnest_offer() {
            local kind="$1" cur="$2" name
            case "$kind" in
                vm|switch)
                    while IFS= read -r name; do
                        [[ "$name" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
                    done < <("${COMP_WORDS[0]}" completion names "$kind" 2>/dev/null) ;;
                file)
                    type compopt >/dev/null 2>&1 && compopt -o filenames
                    COMPREPLY=($(compgen -f -- "$cur")) ;;
                words\ *)
                    COMPREPLY=($(compgen -W "${kind#words }" -- "$cur")) ;;
            esac
        }

        _hnest() {
            local cur="${COMP_WORDS[COMP_CWORD]}" verb='' word value='' i=1 positional=0
            COMPREPLY=()
            while (( i < COMP_CWORD )); do
                word="${COMP_WORDS[i]}"
                if [[ "$word" == -* ]]; then
                    _hnest_value "$verb" "$word"
                    if [[ "$REPLY" != flag ]]; then
                        (( i + 1 == COMP_CWORD )) && value="${REPLY:-any}"
                        (( i++ ))
                    fi
                else
                    _hnest_commands "$verb"
                    if (( positional == 0 )) && [[ " $REPLY " == *" $word "* ]]; then
                        verb="${verb:+$verb }$word"
                    else
                        (( positional++ ))
                    fi
                fi
                (( i++ ))
            done

            if [[ -n "$value" ]]; then
                _hnest_offer "$value" "$cur"
            elif [[ "$cur" == -* ]]; then
                _hnest_options "$verb"
                COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
            else
                _hnest_commands "$verb"
                if (( positional == 0 )) && [[ -n "$REPLY" ]]; then
                    COMPREPLY=($(compgen -W "$REPLY" -- "$cur"))
                else
                    _hnest_argument "$verb" "$positional"
                    _hnest_offer "$REPLY" "$cur"
                fi
            fi
        }

        complete -F _hnest hnest

        """;
}
