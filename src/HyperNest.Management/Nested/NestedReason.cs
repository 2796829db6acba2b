namespace HyperNest.Management.Nested;

/// <summary>One reason in a nested virtualization verdict: what is wrong, in one line, and how to fix it.</summary>
public sealed record NestedReason(NestedReasonCode Code, NestedReasonSeverity Severity, string Message, string Fix)
{
    public bool IsBlocking => Severity == NestedReasonSeverity.Blocking;

    /// <summary>"message (fix: ...)": the one-line form for error messages.</summary>
    public override string ToString() => $"{Message} (fix: {Fix})";
}
