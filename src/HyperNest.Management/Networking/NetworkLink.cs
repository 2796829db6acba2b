namespace HyperNest.Management.Networking;

/// <summary>One host network interface as <c>ip -j -d link show</c> reports it.</summary>
/// <param name="Name">The interface name (at most 15 characters).</param>
/// <param name="MacAddress">aa:bb:cc:dd:ee:ff, as Linux prints it.</param>
/// <param name="Master">The bridge it is a port of; null when it is on its own.</param>
/// <param name="Kind">The link kind (bridge, veth, tun, ...); null for a physical NIC.</param>
/// <param name="IsUp">Administratively up.</param>
public sealed record NetworkLink(string Name, string MacAddress, string? Master, string? Kind, bool IsUp);
