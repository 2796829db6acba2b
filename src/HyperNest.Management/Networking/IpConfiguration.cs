namespace HyperNest.Management.Networking;

/// <summary>
/// The host's addresses (CIDR, 192.0.2.10/24 or 2001:db8::10/64) and routes on one interface: what an External
/// switch moves from its NIC to the bridge when the management OS keeps its access, and gives back on removal.
/// </summary>
public sealed record IpConfiguration
{
    public static readonly IpConfiguration None = new();

    public IReadOnlyList<string> Addresses { get; init; } = [];

    public IReadOnlyList<IpRoute> Routes { get; init; } = [];

    public bool IsEmpty => Addresses.Count == 0 && Routes.Count == 0;
}
