namespace HyperNest.Management;

/// <summary>
/// No virtual switch has the given name or id. A validation failure (connecting an adapter to it is a bad setting)
/// that front ends report as "not found".
/// </summary>
public sealed class VirtualSwitchNotFoundException(string name, string message) : VmValidationException(message)
{
    public string Name { get; } = name;

    /// <summary>
    /// Hyper-V's message, for a lookup (Get-, Set-, Remove-VMSwitch) and for connecting an adapter (New-VM -SwitchName,
    /// Add-/Connect-VMNetworkAdapter) alike.
    /// </summary>
    public static VirtualSwitchNotFoundException Lookup(string name) =>
        new(name, $"HyperNest was unable to find a virtual switch with name \"{name}\".");
}
