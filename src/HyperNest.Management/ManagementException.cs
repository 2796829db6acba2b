namespace HyperNest.Management;

/// <summary>
/// An expected failure of a management operation (bad input, wrong state, broken store): front ends show the
/// message as is — one line — and never a stack trace.
/// </summary>
public abstract class ManagementException(string message) : Exception(message);
