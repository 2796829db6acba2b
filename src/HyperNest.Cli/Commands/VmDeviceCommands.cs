using HyperNest.Cli.Json;
using System.CommandLine;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm adapter add|list|set|remove</c> and <c>hnest vm disk add|list|remove</c>.</summary>
internal static class VmDeviceCommands
{
    public static Command Adapter(TextWriter stdout)
    {
        var adapter = new Command("adapter", "Network adapters (Add/Get/Set/Remove-VMNetworkAdapter)");
        adapter.Subcommands.Add(AdapterChange("add", "Add a network adapter", stdout, (m, vm, n, c) => m.AddNetworkAdapter(vm, n, c)));
        adapter.Subcommands.Add(List("list", "List a VM's network adapters; while it runs, Status, IPAddresses and its port's counters (--json)",
            stdout, vm => VmCli.Manager().GetNetworkAdapters(vm), () => CliJsonContext.Default.IReadOnlyListNetworkAdapterInfo,
            a => [a.Name, MacAddress.ToColonForm(a.MacAddress), a.DynamicMacAddressEnabled ? "Dynamic" : "Static", a.MacAddressSpoofing ? "On" : "Off",
                a.SwitchName ?? "-", a.Status ?? "-", a.IPAddresses.Count == 0 ? "-" : string.Join(' ', a.IPAddresses)],
            ["Name", "MacAddress", "Allocation", "MacAddressSpoofing", "SwitchName", "Status", "IPAddresses"]));
        adapter.Subcommands.Add(AdapterChange("set", "Change a network adapter", stdout, (m, vm, n, c) => m.SetNetworkAdapter(vm, n, c)));
        Argument<string> vmName = VmCli.NameArgument();
        var adapterName = new Argument<string>("adapter") { Description = "the adapter's name" };
        adapter.Subcommands.Add(VmCli.Verb("remove", "Remove a network adapter",
            parse => VmCli.Manager().RemoveNetworkAdapter(parse.GetValue(vmName)!, parse.GetValue(adapterName)!), vmName, adapterName));
        adapter.Subcommands.Add(Connect(stdout));
        adapter.Subcommands.Add(Disconnect(stdout));
        return adapter;
    }

    /// <summary><c>hnest vm adapter connect VM ADAPTER SWITCH</c> (Connect-VMNetworkAdapter).</summary>
    private static Command Connect(TextWriter stdout)
    {
        Argument<string> vmName = VmCli.NameArgument();
        var adapterName = new Argument<string>("adapter") { Description = "the adapter's name" };
        var switchName = new Argument<string>("switch") { Description = "the virtual switch (hnest switch list)" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("connect", "Connect a network adapter to a virtual switch (Connect-VMNetworkAdapter)", parse => VmLifecycleCommands.WriteVm(stdout,
            VmCli.Manager().ConnectNetworkAdapter(parse.GetValue(vmName)!, parse.GetValue(adapterName)!, parse.GetValue(switchName)!),
            parse.GetValue(json)), vmName, adapterName, switchName, json);
    }

    /// <summary><c>hnest vm adapter disconnect VM ADAPTER</c> (Disconnect-VMNetworkAdapter).</summary>
    private static Command Disconnect(TextWriter stdout)
    {
        Argument<string> vmName = VmCli.NameArgument();
        var adapterName = new Argument<string>("adapter") { Description = "the adapter's name" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("disconnect", "Disconnect a network adapter from its switch (Disconnect-VMNetworkAdapter)", parse => VmLifecycleCommands.WriteVm(stdout,
            VmCli.Manager().DisconnectNetworkAdapter(parse.GetValue(vmName)!, parse.GetValue(adapterName)!),
            parse.GetValue(json)), vmName, adapterName, json);
    }

    public static Command Disk(TextWriter stdout, TextWriter stderr)
    {
        var disk = new Command("disk", "Hard disk drives: raw or qcow2 images (Add/Get/Remove-VMHardDiskDrive)");
        Argument<string> vmName = VmCli.NameArgument();
        var path = new Argument<string>("path") { Description = "the disk image (raw, or qcow2 for a .qcow2 file)" };
        var readOnly = new Option<bool>("--readonly") { Description = "attach read-only" };
        disk.Subcommands.Add(VmCli.Verb("add", "Attach a disk image", parse =>
        {
            VmInfo vm = VmCli.Manager().AddHardDiskDrive(parse.GetValue(vmName)!, parse.GetValue(path)!, parse.GetValue(readOnly));
            VmCli.WarnOfUnreachableTails(stderr, [vm.Configuration.HardDrives[^1].Path]);
        }, vmName, path, readOnly));
        disk.Subcommands.Add(List("list", "List a VM's disk images", stdout, vm => vm.Configuration.HardDrives, () => CliJsonContext.Default.IReadOnlyListVmHardDiskDrive,
            d => [d.Path, d.ReadOnly ? "yes" : "no"], ["Path", "ReadOnly"]));
        Argument<string> removeVm = VmCli.NameArgument();
        var removePath = new Argument<string>("path") { Description = "the attached disk image" };
        disk.Subcommands.Add(VmCli.Verb("remove", "Detach a disk image (the file stays)",
            parse => VmCli.Manager().RemoveHardDiskDrive(parse.GetValue(removeVm)!, parse.GetValue(removePath)!), removeVm, removePath));
        return disk;
    }

    private static Command AdapterChange(
        string verb, string description, TextWriter stdout, Func<Management.Lifecycle.VmManager, string, string, NetworkAdapterChanges, VmInfo> apply)
    {
        Argument<string> vmName = VmCli.NameArgument();
        var adapterName = new Argument<string>("adapter") { Description = "the adapter's name" };
        var staticMac = new Option<string?>("--static-mac-address") { Description = "a fixed MAC address, e.g. 00:15:5D:0A:1B:2C" };
        var dynamicMac = new Option<bool>("--dynamic-mac-address") { Description = "take an address from the host's pool" };
        var spoofing = new Option<string?>("--mac-address-spoofing") { Description = "On|Off" };
        var switchName = new Option<string?>("--switch") { Description = "connect to this virtual switch" };
        var disconnect = new Option<bool>("--disconnect") { Description = "disconnect from its switch" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb(verb, description, parse =>
        {
            var changes = new NetworkAdapterChanges
            {
                StaticMacAddress = parse.GetValue(staticMac),
                DynamicMacAddress = parse.GetValue(dynamicMac),
                MacAddressSpoofing = parse.GetValue(spoofing) switch
                {
                    null => null,
                    string s when s.Equals("on", StringComparison.OrdinalIgnoreCase) => true,
                    string s when s.Equals("off", StringComparison.OrdinalIgnoreCase) => false,
                    string s => throw new UsageException($"--mac-address-spoofing '{s}': expected On or Off"),
                },
                SwitchName = parse.GetValue(switchName),
                Disconnect = parse.GetValue(disconnect),
            };
            VmLifecycleCommands.WriteVm(stdout, apply(VmCli.Manager(), parse.GetValue(vmName)!, parse.GetValue(adapterName)!, changes), parse.GetValue(json));
        }, vmName, adapterName, staticMac, dynamicMac, spoofing, switchName, disconnect, json);
    }

    private static Command List<T>(
        string verb, string description, TextWriter stdout, Func<VmInfo, IReadOnlyList<T>> select,
        Func<System.Text.Json.Serialization.Metadata.JsonTypeInfo<IReadOnlyList<T>>> type, Func<T, string[]> row, string[] header)
    {
        Argument<string> vmName = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb(verb, description, parse =>
        {
            IReadOnlyList<T> items = select(VmCli.Manager().GetVm(parse.GetValue(vmName)!));
            if (parse.GetValue(json))
            {
                VmCli.WriteJson(stdout, items, type());
            }
            else
            {
                VmTable.WriteRows(stdout, [header, .. items.Select(row)]);
            }
        }, vmName, json);
    }
}
