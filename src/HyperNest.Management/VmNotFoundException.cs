namespace HyperNest.Management;

/// <summary>No VM has the given name or id.</summary>
public sealed class VmNotFoundException(string name)
    : ManagementException($"HyperNest was unable to find a virtual machine with name \"{name}\".")
{
    public string Name { get; } = name;
}
