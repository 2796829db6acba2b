namespace HyperNest.Fuzz;

/// <summary>An invariant a target checks did not hold: a finding, as much as an escaped exception is.</summary>
public sealed class InvariantViolation(string message) : Exception(message)
{
    /// <summary>Throws when <paramref name="holds"/> is false.</summary>
    public static void Check(bool holds, string invariant)
    {
        if (!holds)
        {
            throw new InvariantViolation(invariant);
        }
    }
}
