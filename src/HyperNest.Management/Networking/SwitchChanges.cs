namespace HyperNest.Management.Networking;

/// <summary>
/// Set-VMSwitch's parameters; null means "leave as is". Like Hyper-V, -SwitchType takes Internal or Private (an
/// External switch given one lets its NIC go) and -NetAdapterName makes a switch External (or moves it to another NIC).
/// </summary>
public sealed record SwitchChanges
{
    public VirtualSwitchType? SwitchType { get; init; }

    public string? NetAdapterName { get; init; }

    public bool? AllowManagementOS { get; init; }

    public string? Notes { get; init; }
}
