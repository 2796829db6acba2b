using System.Globalization;

namespace HyperNest.Emulation.Qemu;

/// <summary>
/// A VM's network adapter carried through the emulated host. On this host QEMU opens the TAP device
/// <see cref="TapName"/> (the caller puts it on the virtual switch's bridge once QEMU runs) and gives the emulated
/// host a virtio-net NIC behind it; inside, the init script enslaves that NIC to the bridge <see cref="InnerBridge"/>,
/// where the inner hnest puts the VM's own TAP. The emulated host is a wire: it sends nothing of its own (IPv6 is
/// off inside), the VM's frames pass through with the VM's MAC, and the switch port rules are the inner hnest's.
/// </summary>
/// <param name="Index">The adapter's position in the VM's order (0-based).</param>
/// <param name="TapName">This host's TAP device, at most 15 characters (IFNAMSIZ).</param>
/// <param name="MacAddress">The VM adapter's MAC, 12 hex digits.</param>
public sealed record EmulatedHostNic(int Index, string TapName, string MacAddress)
{
    /// <summary>The bridge inside the emulated host that the inner hnest's <c>--nic bridge=</c> names.</summary>
    public string InnerBridge => $"hnbr{Index}";

    /// <summary>
    /// The emulated host NIC's own MAC, in colon form: the VM's with the locally administered bit set, so it is never
    /// the VM's yet stays tied to it. It never appears as a source on the switch.
    /// </summary>
    public string QemuMacAddress
    {
        get
        {
            byte first = (byte)(byte.Parse(MacAddress.AsSpan(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) | 0x02);
            string hex = first.ToString("x2", CultureInfo.InvariantCulture) + MacAddress[2..].ToLowerInvariant();
            return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
        }
    }
}
