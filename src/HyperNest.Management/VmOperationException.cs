namespace HyperNest.Management;

/// <summary>An operation was valid but did not succeed: the worker failed to start, a shutdown timed out.</summary>
public sealed class VmOperationException(string message) : ManagementException(message);
