namespace HyperNest.Management.Lifecycle;

/// <summary>What the state table says about an action in a state.</summary>
public enum TransitionVerdict
{
    Allowed,

    /// <summary>The VM is already where the action would take it: a warning, not an error.</summary>
    AlreadyInState,

    Invalid,
}
