using HyperNest.Management;

namespace HyperNest.Worker.Network;

/// <summary>
/// One <c>hnest run --nic</c>: <c>SWITCH[,mac=MAC][,spoofing=on|off][,name=NAME]</c> connects an adapter to a
/// virtual switch of the store; <c>bridge=BRIDGE[,...]</c> to an existing Linux bridge instead (one made by another
/// tool, or the emulated host's inner bridge). Without <c>mac=</c> the adapter gets a dynamic address.
/// </summary>
/// <param name="SwitchName">The virtual switch; null when <paramref name="Bridge"/> is given.</param>
/// <param name="Bridge">A Linux bridge by its interface name; null for a switch.</param>
/// <param name="MacAddress">12 hex digits (Hyper-V's form), or null for a dynamic one.</param>
/// <param name="MacAddressSpoofing">Whether frames from other source MACs may leave the VM (nested guests).</param>
/// <param name="Name">The adapter's name in status and requests; "Network Adapter N" by default.</param>
public sealed record NicSpec(string? SwitchName, string? Bridge, string? MacAddress, bool MacAddressSpoofing, string? Name)
{
    /// <summary>Linux's IFNAMSIZ less the terminating NUL.</summary>
    public const int MaxInterfaceName = 15;

    /// <summary>Parses one --nic value; throws <see cref="VmValidationException"/> naming the bad part.</summary>
    public static NicSpec Parse(string text)
    {
        // name= comes last and takes the rest: an adapter's name may hold commas.
        int named = text.IndexOf(",name=", StringComparison.Ordinal);
        string? name = named < 0 ? null : Required(text, "name", text[(named + 6)..]);
        string[] parts = (named < 0 ? text : text[..named]).Split(',');
        string? switchName = null, bridge = null, mac = null;
        bool spoofing = false;
        foreach ((string part, int index) in parts.Select((p, i) => (p, i)))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? "" : part[..equals];
            string value = equals < 0 ? part : part[(equals + 1)..];
            if (index == 0 && equals < 0)
            {
                switchName = Required(text, "switch name", value);
                continue;
            }

            if ((index == 0) != (key == "bridge"))
            {
                throw index == 0
                    ? new VmValidationException($"--nic '{text}': start with a virtual switch's name or bridge=BRIDGE")
                    : UnknownOption(text, part);
            }

            switch (key)
            {
                case "bridge":
                    bridge = Required(text, "bridge", value);
                    if (bridge.Length > MaxInterfaceName || bridge.Any(c => c is '/' or ' ' or ':'))
                    {
                        throw new VmValidationException($"--nic '{text}': '{bridge}' is not a Linux interface name (at most {MaxInterfaceName} characters, no '/', ':' or spaces)");
                    }

                    break;
                case "mac":
                    mac = Management.Model.MacAddress.Normalize(Required(text, "mac", value));
                    break;
                case "spoofing":
                    spoofing = value.ToLowerInvariant() switch
                    {
                        "on" or "true" => true,
                        "off" or "false" => false,
                        _ => throw new VmValidationException($"--nic '{text}': spoofing={value}: expected on or off"),
                    };
                    break;
                default:
                    throw UnknownOption(text, part);
            }
        }

        return new NicSpec(switchName, bridge, mac, spoofing, name);
    }

    private static VmValidationException UnknownOption(string text, string part) =>
        new($"--nic '{text}': unknown option '{part}' (expected mac=, spoofing=on|off or, last, name=)");

    private static string Required(string text, string what, string value) => value.Length > 0
        ? value
        : throw new VmValidationException($"--nic '{text}': the {what} is empty");
}
