namespace HyperNest.Management;

/// <summary>A virtual switch of that name (ignoring case) already exists.</summary>
public sealed class VirtualSwitchExistsException(string name)
    : VmValidationException($"A virtual switch named '{name}' already exists.")
{
    public string Name { get; } = name;
}
