namespace HyperNest.Management.Networking;

/// <summary>New-VMSwitch's parameters: -SwitchType Private|Internal, or -NetAdapterName for an External switch.</summary>
public sealed record NewSwitchOptions
{
    public required string Name { get; init; }

    public required VirtualSwitchType SwitchType { get; init; }

    public string? NetAdapterName { get; init; }

    /// <summary>External only; Hyper-V's default is true (the host keeps its connectivity through the bridge).</summary>
    public bool? AllowManagementOS { get; init; }

    public string? Notes { get; init; }
}
