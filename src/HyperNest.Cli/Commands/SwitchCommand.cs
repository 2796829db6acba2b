using System.CommandLine;
using HyperNest.Cli.Json;
using HyperNest.Kvm;
using HyperNest.Management.Networking;
using HyperNest.Vmm.Json;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest switch new|list|show|set|remove</c>: Hyper-V's virtual switches (New/Get/Set/Remove-VMSwitch), each a
/// Linux bridge. Changes need CAP_NET_ADMIN (root).
/// </summary>
public static class SwitchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("switch", "Virtual switches (New/Get/Set/Remove-VMSwitch): Linux bridges VM adapters connect to");
        command.Subcommands.Add(New(stdout));
        command.Subcommands.Add(List(stdout, stderr));
        command.Subcommands.Add(Show(stdout));
        command.Subcommands.Add(Set(stdout));
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "the switch's name (or id)" };

    private static Option<string?> NetAdapterOption() => new("--net-adapter") { Description = "the host NIC an External switch takes (never the one you are connected through without --allow-management-os true)" };

    private static Option<string?> AllowManagementOSOption() => VmCli.TrueFalseOption("--allow-management-os", "true|false: External only; whether the host keeps the NIC's addresses (on the bridge). Default true");

    private static Option<string?> NotesOption() => new("--notes") { Description = "free text kept with the switch" };

    private static Command New(TextWriter stdout)
    {
        Argument<string> name = NameArgument();
        var type = new Option<string?>("--type") { Description = "private|internal|external (external with --net-adapter; --net-adapter alone means external)" };
        Option<string?> netAdapter = NetAdapterOption();
        Option<string?> allow = AllowManagementOSOption();
        Option<string?> notes = NotesOption();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("new", "Create a virtual switch and its bridge (New-VMSwitch)", parse =>
        {
            string? nic = parse.GetValue(netAdapter);
            VirtualSwitchType switchType = parse.GetValue(type) is { } text ? ParseType(text)
                : nic is not null ? VirtualSwitchType.External
                : throw new UsageException("--type private|internal|external is needed (or --net-adapter NIC for an External switch)");
            Write(stdout, SwitchManager.OpenDefault().NewSwitch(new NewSwitchOptions
            {
                Name = parse.GetValue(name)!,
                SwitchType = switchType,
                NetAdapterName = nic,
                AllowManagementOS = VmCli.TrueFalse(parse, allow),
                Notes = parse.GetValue(notes),
            }), parse.GetValue(json));
        }, name, type, netAdapter, allow, notes, json);
    }

    private static Command List(TextWriter stdout, TextWriter stderr) => VmCli.ListVerb("List the virtual switches (Get-VMSwitch)", stdout, stderr, () =>
    {
        SwitchListResult result = SwitchManager.OpenDefault().GetSwitches();
        return (result.Switches, result.Problems);
    }, () => CliJsonContext.Default.IReadOnlyListVirtualSwitchInfo, (writer, switches) => VmTable.WriteRows(writer, [["Name", "SwitchType", "NetAdapterInterfaceDescription"],
        .. switches.Select(s => new[] { s.Name, s.Switch.SwitchType.ToString(), s.Switch.NetAdapterName ?? string.Empty })]));

    private static Command Show(TextWriter stdout)
    {
        Argument<string> name = NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("show", "Show one virtual switch: its bridge and the adapters connected to it (Get-VMSwitch NAME | Format-List)",
            parse => Write(stdout, SwitchManager.OpenDefault().GetSwitch(parse.GetValue(name)!), parse.GetValue(json)), name, json);
    }

    private static Command Set(TextWriter stdout)
    {
        Argument<string> name = NameArgument();
        var type = new Option<string?>("--type") { Description = "internal|private (an External switch gives its NIC back)" };
        Option<string?> netAdapter = NetAdapterOption();
        Option<string?> allow = AllowManagementOSOption();
        Option<string?> notes = NotesOption();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set", "Change a virtual switch (Set-VMSwitch): its type, its NIC, AllowManagementOS, notes", parse => Write(stdout,
            SwitchManager.OpenDefault().SetSwitch(parse.GetValue(name)!, new SwitchChanges
            {
                SwitchType = parse.GetValue(type) is { } text ? ParseType(text) : null,
                NetAdapterName = parse.GetValue(netAdapter),
                AllowManagementOS = VmCli.TrueFalse(parse, allow),
                Notes = parse.GetValue(notes),
            }), parse.GetValue(json)), name, type, netAdapter, allow, notes, json);
    }

    private static Command Remove()
    {
        Argument<string> name = NameArgument();
        return VmCli.Verb("remove", "Delete a virtual switch and its bridge (Remove-VMSwitch); adapters on it are disconnected, an External switch's NIC given back",
            parse => SwitchManager.OpenDefault().RemoveSwitch(parse.GetValue(name)!), name);
    }

    private static VirtualSwitchType ParseType(string text) => EnumNameConverter<VirtualSwitchType>.Parse(text)
        ?? throw new UsageException($"--type '{ExceptionMessages.Printable(text, maxLength: 40)}': expected private, internal or external");

    private static void Write(TextWriter stdout, VirtualSwitchInfo info, bool json)
    {
        if (json)
        {
            VmCli.WriteJson(stdout, info, CliJsonContext.Default.VirtualSwitchInfo);
            return;
        }

        VirtualSwitch s = info.Switch;
        VmTable.WriteFields(stdout,
        [
            ("Name", s.Name), ("Id", s.Id.ToString()), ("SwitchType", s.SwitchType.ToString()),
            ("NetAdapterName", s.NetAdapterName ?? "-"), ("AllowManagementOS", s.AllowManagementOS.ToString()), ("Notes", s.Notes ?? "-"),
            ("BridgeName", s.BridgeName + (info.BridgeExists ? string.Empty : " (absent: made again when a VM on the switch starts)")),
            ("ManagementOSAdapter", info.ManagementOSAdapterName is { } host ? $"{host} = {s.BridgeName}" : "- (the host takes no part)"),
            ("ConnectedAdapters", info.ConnectedAdapters.Count == 0 ? "-" : string.Join(", ", info.ConnectedAdapters)),
        ]);
    }
}
