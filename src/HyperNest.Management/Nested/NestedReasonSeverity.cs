namespace HyperNest.Management.Nested;

public enum NestedReasonSeverity
{
    /// <summary>Nested virtualization cannot work until this is fixed: the verdict is NO.</summary>
    Blocking,

    /// <summary>It works, but not as the guide recommends: the verdict stays YES.</summary>
    Warning,
}
