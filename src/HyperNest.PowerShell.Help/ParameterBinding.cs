namespace HyperNest.PowerShell.Help;

/// <summary>
/// What one [Parameter] attribute says: the set it is for (<see cref="AllSets"/> when it names none), whether the
/// parameter is mandatory there, its position (null: named only) and how it takes pipeline input.
/// </summary>
public sealed record ParameterBinding(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName)
{
    /// <summary>PowerShell's name for "every parameter set" (ParameterAttribute.AllParameterSets).</summary>
    public const string AllSets = "__AllParameterSets";

    /// <summary>MAML's pipelineInput text, as Get-Help prints it ("True (ByValue, ByPropertyName)", "False").</summary>
    public string PipelineInput => (ByValue, ByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}
