using System.Net;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An IP address seen in use behind a switch port: what Get-VMNetworkAdapter shows as IPAddresses, for the adapter's
/// own MAC and for the MACs of nested VMs behind it.
/// </summary>
/// <param name="MacAddress">The MAC that uses it, in Hyper-V's form (00155D0A1B2C).</param>
/// <param name="IPAddress">An IPv4 or IPv6 unicast address.</param>
/// <param name="Source">What it was learned from.</param>
/// <param name="LastSeen">When traffic last showed it.</param>
public sealed record LearnedAddress(string MacAddress, IPAddress IPAddress, AddressSource Source, DateTimeOffset LastSeen);
