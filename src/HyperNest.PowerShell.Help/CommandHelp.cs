namespace HyperNest.PowerShell.Help;

/// <summary>
/// One cmdlet's help: what its attributes say (name, parameter sets, parameters, output types) and what its doc
/// comments say (synopsis, description paragraphs, examples). The MAML file is written from these.
/// </summary>
public sealed record CommandHelp(
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<ExampleHelp> Examples)
{
    public string Name => $"{Verb}-{Noun}";

    /// <summary>The types the cmdlet takes from the pipeline (by value or by property name), full names.</summary>
    public IReadOnlyList<string> InputTypes =>
        [.. Parameters.Where(p => p.Sets.Any(s => s.ByValue || s.ByPropertyName)).Select(p => p.FullTypeName).Distinct()];

    /// <summary>What a user must fix before this help is complete; empty when it is.</summary>
    public IEnumerable<string> Gaps()
    {
        if (Synopsis.Length == 0)
        {
            yield return "no <summary> (synopsis)";
        }

        if (Description.Count == 0)
        {
            yield return "no <remarks> (description)";
        }

        if (Examples.Count == 0)
        {
            yield return "no <example>";
        }

        foreach (ExampleHelp example in Examples.Where(e => e.Code.Length == 0 || e.Remarks.Count == 0))
        {
            yield return $"an <example> without {(example.Code.Length == 0 ? "<code>" : "<para>")}";
        }

        foreach (ParameterHelp parameter in Parameters.Where(p => p.Description.Count == 0))
        {
            yield return $"parameter -{parameter.Name} has no <summary>";
        }
    }
}
