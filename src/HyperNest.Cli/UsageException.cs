namespace HyperNest.Cli;

/// <summary>An expected failure caused by the user's input: one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
