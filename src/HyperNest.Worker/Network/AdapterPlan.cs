namespace HyperNest.Worker.Network;

/// <summary>
/// One adapter as a VM starts with it: name and MAC from its configuration (or <c>--nic</c>), and where it is
/// plugged in — a virtual switch of the store, an existing Linux bridge, or nothing (disconnected).
/// </summary>
/// <param name="MacAddress">12 hex digits.</param>
/// <param name="SwitchName">The virtual switch; null when disconnected or on <paramref name="Bridge"/>.</param>
/// <param name="Bridge">A Linux bridge named directly (<c>--nic bridge=</c>, the emulated host's inner bridges).</param>
internal sealed record AdapterPlan(string Name, string MacAddress, bool MacAddressSpoofing, string? SwitchName, string? Bridge = null)
{
    public bool IsConnected => SwitchName is not null || Bridge is not null;
}
