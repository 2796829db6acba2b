namespace HyperNest.Management;

/// <summary>
/// No virtual switch has the given name or id. A validation failure (connecting an adapter to it is a bad setting)
/// that front ends report as "not found".
/// </summary>
public sealed class VirtualSwitchNotFoundException(string name, string message) : VmValidationException(message)
{
    public string Name { get; } = name;

    /// <summary>Get-VMSwitch, Set-VMSwitch, Remove-VMSwitch: Hyper-V's message.</summary>
    public static VirtualSwitchNotFoundException Lookup(string name) =>
        new(name, $"HyperNest was unable to find a virtual switch with name \"{name}\".");

    /// <summary>Connecting an adapter (New-VM -SwitchName, Add-/Connect-VMNetworkAdapter).</summary>
    public static VirtualSwitchNotFoundException Connect(string name) => new(name, $"The virtual switch '{name}' was not found.");
}
