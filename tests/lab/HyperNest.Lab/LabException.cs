namespace HyperNest.Lab;

/// <summary>An expected failure of the lab rig (a tool missing, a package not found, a build failing).</summary>
public sealed class LabException(string message) : Exception(message);
