
namespace HyperNest.Worker.Network;

/// <summary>
/// One adapter as a VM starts with it: name and MAC from its configuration (or <c>--nic</c>), and where it is
/// plugged in — a virtual switch of the store, an existing Linux bridge, or nothing (disconnected).
/// </summary>
/// <param name="Name">The adapter's name ("Network Adapter").</param>
/// <param name="MacAddress">12 hex digits.</param>
/// <param name="MacAddressSpoofing">Whether frames from other source MACs may leave the VM.</param>
/// <param name="SwitchName">The virtual switch; null when disconnected or on <paramref name="Bridge"/>.</param>
/// <param name="Bridge">A Linux bridge named directly (<c>--nic bridge=</c>, the emulated host's inner bridges).</param>
public sealed record AdapterPlan(string Name, string MacAddress, bool MacAddressSpoofing, string? SwitchName, string? Bridge = null)
{
    /// <summary>The prefix of <c>hnest run</c>'s TAP devices: "hnr", its pid, "n" (then the adapter's index).</summary>
    public static string ForegroundTapPrefix => $"hnr{Environment.ProcessId}n";

    public bool IsConnected => SwitchName is not null || Bridge is not null;

    /// <summary>
    /// The bridge a connected adapter goes on (its switch's, made again when missing); throws with one line when this
    /// process may not make TAP devices or the switch does not exist.
    /// </summary>
    public string BridgeFor(IPortPlumbing plumbing)
    {
        if (!plumbing.CanCreateTaps)
        {
            string where = SwitchName is { } name ? $"virtual switch '{name}'" : $"bridge '{Bridge}'";
            throw new Management.HostPermissionException($"connecting network adapter '{Name}' to {where} needs CAP_NET_ADMIN (run as root)", Management.HostPermission.NetAdmin);
        }

        return Bridge ?? plumbing.BridgeOf(SwitchName!);
    }

    /// <summary>A stored VM's adapter: on its switch, or disconnected.</summary>
    public static AdapterPlan From(Management.Model.VmNetworkAdapter adapter) =>
        new(adapter.Name, adapter.MacAddress, adapter.MacAddressSpoofing, adapter.SwitchName);

    /// <summary>
    /// <c>hnest run --nic</c> number <paramref name="index"/> (0-based): named "Network Adapter" (then "Network Adapter
    /// 2", ...) unless named, with a dynamic MAC from Hyper-V's range unless given one.
    /// </summary>
    public static AdapterPlan From(NicSpec nic, int index) => new(
        nic.Name ?? (index == 0 ? "Network Adapter" : $"Network Adapter {index + 1}"),
        nic.MacAddress ?? Management.Model.MacAddress.NewDynamic(new HashSet<string>()),
        nic.MacAddressSpoofing,
        nic.SwitchName,
        nic.Bridge);
}
