namespace HyperNest.Vmm.Network;

/// <summary>
/// The addresses learned behind one switch port. Bounded because the guest chooses what goes in: at most
/// <see cref="MaxStations"/> MACs, the least recently active dropped first but never the port's own, and at most
/// <see cref="MaxAddressesPerStation"/> addresses per MAC, the least recently seen dropped first. Each MAC also holds
/// the one DHCP request it has outstanding, so that only the ACK answering it teaches an address.
/// </summary>
/// <remarks>Thread-safe with one lock, taken only for the few frames that teach something.</remarks>
internal sealed class AddressTable(ulong ownMac, TimeProvider clock)
{
    public const int MaxStations = 64;
    public const int MaxAddressesPerStation = 16;

    private readonly Lock _lock = new();
    private readonly List<Station> _stations = [];

    /// <summary>Orders by recency without the ties a coarse clock gives.</summary>
    private long _tick;

    /// <summary>An address seen in use by <paramref name="mac"/>: added, or its last sighting moved to now.</summary>
    public void Learn(ulong mac, UInt128 address, AddressSource source)
    {
        lock (_lock)
        {
            Station station = Touch(mac);
            Sight(station, address, source);
        }
    }

    /// <summary>A DHCP REQUEST: the lease is tentative until the ACK with the same transaction id.</summary>
    public void Request(ulong mac, uint transactionId)
    {
        lock (_lock)
        {
            Touch(mac).PendingTransaction = transactionId;
        }
    }

    /// <summary>A DHCP ACK: its address becomes the MAC's one DHCP address, if the MAC asked in this transaction.</summary>
    public void Acknowledge(ulong mac, uint transactionId, UInt128 address)
    {
        lock (_lock)
        {
            if (TakePending(mac, transactionId) is not { } station)
            {
                return;
            }

            station.Addresses.RemoveAll(entry => entry.Source == AddressSource.Dhcp && entry.Address != address);
            Sight(Touch(mac), address, AddressSource.Dhcp).Source = AddressSource.Dhcp;
        }
    }

    /// <summary>A DHCP NAK: the MAC's DHCP address is no longer its own, if the MAC asked in this transaction.</summary>
    public void Refuse(ulong mac, uint transactionId)
    {
        lock (_lock)
        {
            TakePending(mac, transactionId)?.Addresses.RemoveAll(entry => entry.Source == AddressSource.Dhcp);
        }
    }

    /// <summary>A DHCP RELEASE or DECLINE: the client gives its DHCP address up.</summary>
    public void Release(ulong mac)
    {
        lock (_lock)
        {
            if (Find(mac) is { } station)
            {
                station.PendingTransaction = null;
                station.Addresses.RemoveAll(entry => entry.Source == AddressSource.Dhcp);
            }
        }
    }

    public IReadOnlyList<LearnedAddress> Snapshot()
    {
        lock (_lock)
        {
            return
            [
                .. _stations.SelectMany(station => station.Addresses.Select(entry => new LearnedAddress(
                    EthernetAddress.Format(station.Mac), IPAddressBits.ToIPAddress(entry.Address), entry.Source, entry.LastSeen))),
            ];
        }
    }

    private Station? Find(ulong mac) => _stations.Find(station => station.Mac == mac);

    private Station? TakePending(ulong mac, uint transactionId)
    {
        Station? station = Find(mac);
        if (station?.PendingTransaction != transactionId)
        {
            return null;
        }

        station.PendingTransaction = null;
        return station;
    }

    /// <summary>The station for <paramref name="mac"/>, marked active now; made, dropping the least active, if new.</summary>
    private Station Touch(ulong mac)
    {
        Station? station = Find(mac);
        if (station is null)
        {
            if (_stations.Count == MaxStations)
            {
                _stations.Remove(LeastRecent(_stations.Where(candidate => candidate.Mac != ownMac), candidate => candidate.Tick));
            }

            station = new Station(mac);
            _stations.Add(station);
        }

        station.Tick = ++_tick;
        return station;
    }

    private Entry Sight(Station station, UInt128 address, AddressSource source)
    {
        Entry? entry = station.Addresses.Find(candidate => candidate.Address == address);
        if (entry is null)
        {
            if (station.Addresses.Count == MaxAddressesPerStation)
            {
                station.Addresses.Remove(LeastRecent(station.Addresses, candidate => candidate.Tick));
            }

            entry = new Entry(address, source);
            station.Addresses.Add(entry);
        }

        entry.LastSeen = clock.GetUtcNow();
        entry.Tick = ++_tick;
        return entry;
    }

    private static T LeastRecent<T>(IEnumerable<T> items, Func<T, long> tick) => items.MinBy(tick)!;

    /// <summary>A MAC seen behind the port (an IEEE 802 station).</summary>
    private sealed class Station(ulong mac)
    {
        public ulong Mac { get; } = mac;

        public long Tick { get; set; }

        public uint? PendingTransaction { get; set; }

        public List<Entry> Addresses { get; } = [];
    }

    private sealed class Entry(UInt128 address, AddressSource source)
    {
        public UInt128 Address { get; } = address;

        public AddressSource Source { get; set; } = source;

        public DateTimeOffset LastSeen { get; set; }

        public long Tick { get; set; }
    }
}
