namespace HyperNest.Management.Store;

/// <summary>A VM folder whose config cannot be read (the message names the VM); the other VMs are still listed.</summary>
public sealed record StoreProblem(Guid Id, string Message);
