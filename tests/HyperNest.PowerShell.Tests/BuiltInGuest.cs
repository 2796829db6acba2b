namespace HyperNest.PowerShell.Tests;

/// <summary>Kernel arguments that keep the built-in guest running instead of powering off after its banner.</summary>
public static class BuiltInGuest
{
    /// <summary>
    /// "hnest.hold=1" where the guest has it (idle until the host stops it); an older guest knows only
    /// "hnest.bench=N", N port round trips (~10 µs each here) before its banner: a billion is hours of a Running VM.
    /// </summary>
    public static string HoldArguments { get; } =
        File.ReadAllText(Path.Combine(Repository.Root, "guests", "builtin", "guest.S")).Contains("hnest.hold=", StringComparison.Ordinal)
            ? "hnest.hold=1"
            : "hnest.bench=1000000000";
}
