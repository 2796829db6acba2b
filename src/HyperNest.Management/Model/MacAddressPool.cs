using System.Globalization;

namespace HyperNest.Management.Model;

/// <summary>
/// The host's dynamic MAC address range (Set-VMHost -MacAddressMinimum/-MacAddressMaximum), inclusive, as 48-bit
/// numbers. New adapters with a dynamic address draw from it.
/// </summary>
public sealed record MacAddressPool
{
    /// <summary>A range this small is searched address by address; a larger one is drawn from at random.</summary>
    private const ulong ScanLimit = 1 << 16;

    private MacAddressPool(string minimum, string maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Hyper-V's whole prefix, 00155D000000-00155DFFFFFF.</summary>
    public static MacAddressPool Default { get; } = new(HostSettings.DefaultMacAddressMinimum, HostSettings.DefaultMacAddressMaximum);

    public string Minimum { get; }

    public string Maximum { get; }

    /// <summary>How many addresses the range holds.</summary>
    public ulong Size => Value(Maximum) - Value(Minimum) + 1;

    /// <summary>The range the host settings name (already checked when they were set).</summary>
    public static MacAddressPool Of(HostSettings settings) => new(settings.MacAddressMinimum, settings.MacAddressMaximum);

    /// <summary>
    /// A range from Set-VMHost's values: each a unicast, non-zero address (any of <see cref="MacAddress.Normalize"/>'s
    /// forms), the minimum not above the maximum, both with the same first byte (so no address between is multicast). Throws <see cref="VmValidationException"/> naming the problem.
    /// </summary>
    public static MacAddressPool Parse(string minimum, string maximum)
    {
        string low = MacAddress.Normalize(minimum), high = MacAddress.Normalize(maximum);
        if (Value(low) > Value(high))
        {
            throw new VmValidationException($"The MAC address range {low}-{high} is empty: the minimum must not be above the maximum.");
        }

        // Between two first bytes lies an odd one: every address with it is multicast.
        return low[..2] == high[..2]
            ? new MacAddressPool(low, high)
            : throw new VmValidationException($"The MAC address range {low}-{high} spans multicast addresses: give both ends the same first byte.");
    }

    /// <summary>A unicast address of the range that is not in <paramref name="used"/>.</summary>
    /// <exception cref="VmOperationException">Every address of the range is taken.</exception>
    public string NewDynamic(IReadOnlySet<string> used)
    {
        ulong low = Value(Minimum), size = Size;
        // Not RandomNumberGenerator: on Linux it needs OpenSSL, which minimal hosts lack; uniqueness is checked anyway.
        ulong start = (ulong)Random.Shared.NextInt64((long)size);
        ulong tries = size <= ScanLimit ? size : 1000;
        for (ulong i = 0; i < tries; i++)
        {
            ulong offset = size <= ScanLimit ? (start + i) % size : (ulong)Random.Shared.NextInt64((long)size);
            ulong candidate = low + offset;
            string text = candidate.ToString("X12", CultureInfo.InvariantCulture);
            if (!used.Contains(text))
            {
                return text;
            }
        }

        throw new VmOperationException(
            $"the dynamic MAC address range of this host ({Minimum}-{Maximum}) is exhausted: widen it with Set-VMHost -MacAddressMinimum/-MacAddressMaximum (hnest host set)");
    }

    private static ulong Value(string mac) => ulong.Parse(mac, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
