namespace HyperNest.PowerShell.Help;

/// <summary>
/// One parameter of a cmdlet: its type as PowerShell shows it (<c>String[]</c>, <c>Int64</c>, <c>SwitchParameter</c>),
/// aliases, whether it takes wildcards, how it binds in each parameter set it belongs to, and its description.
/// </summary>
public sealed record ParameterHelp(
    string Name,
    string TypeName,
    string FullTypeName,
    IReadOnlyList<string> Aliases,
    bool Globbing,
    IReadOnlyList<ParameterBinding> Sets,
    IReadOnlyList<string> PossibleValues,
    IReadOnlyList<string> Description)
{
    public bool IsSwitch => TypeName == "SwitchParameter";

    /// <summary>How it binds in <paramref name="set"/>, or null when it is not in that set.</summary>
    public ParameterBinding? In(string set) => Sets.FirstOrDefault(s => s.Set == set || s.Set == ParameterBinding.AllSets);
}
