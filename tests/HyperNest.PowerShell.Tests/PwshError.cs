namespace HyperNest.PowerShell.Tests;

/// <summary>An error record as the tests see it: $_.CategoryInfo.Category, FullyQualifiedErrorId, TargetObject, message.</summary>
public sealed record PwshError(string Category, string Id, string Target, string Message);
