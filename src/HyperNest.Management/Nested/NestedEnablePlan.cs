namespace HyperNest.Management.Nested;

/// <summary>What Enable-NestedVm will do to one VM, in order; no steps means "already set up for nesting".</summary>
public sealed record NestedEnablePlan(string VmName, IReadOnlyList<string> Steps)
{
    public bool NothingToDo => Steps.Count == 0;

    public string AlreadySetUpMessage => $"'{VmName}' is already set up for nesting.";
}
