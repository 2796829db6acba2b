using HyperNest.Management;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Fuzz.Store;

/// <summary>
/// The store's files as a user or another tool may have edited them, read by the functions the store reads them
/// with, from bytes (no file: the parse is the part under test). The first byte picks the file, modulo 3: a VM's
/// config.json (<see cref="ConfigDocument.Deserialize"/>, for the folder <see cref="FolderId"/>), host.json
/// (<see cref="HostSettingsDocument.Parse"/>) or checkpoints/tree.json (<see cref="CheckpointTree.Parse"/>); the
/// rest is the file.
///
/// Allowed out: <see cref="VmStoreException"/> only, with the product's words ("config of VM X is corrupt: ...", "the
/// host settings X ...", "the checkpoints of VM X ..."): the listing shows it as the VM's problem, the commands as
/// one line. Invariants: a config that loads keeps the store's rules (<see cref="StoredConfiguration.Check"/>, which the
/// loaders run themselves: re-run here, it fails when a load path, a checkpoint's included, stops running it);
/// host settings that load give a MAC range new adapters can draw from; a tree that loads can be walked (every
/// checkpoint's subtree, every overlay's chain) in steps bounded by its size; whatever loads, saved and loaded
/// again, is saved the same.
/// </summary>
public sealed class ConfigJsonTarget : IFuzzTarget
{
    public static readonly Guid FolderId = new("0f0f0f0f-1111-2222-3333-444444444444");

    private static readonly VmFolder Folder = new("/dev/shm/hnest-fuzz-config/" + FolderId);

    public string Name => "config-json";

    public string Description => "config.json, host.json, tree.json as edited by hand; typed refusal or a model that keeps its rules and round-trips";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        byte[] file = input[1..].ToArray();
        try
        {
            switch (input[0] % 3)
            {
                case 0:
                    CheckConfig(ConfigDocument.Deserialize(file, FolderId));
                    break;
                case 1:
                    CheckHost(HostSettingsDocument.Parse(file, "host.json"));
                    break;
                default:
                    CheckTree(CheckpointTree.Parse(file, Folder));
                    break;
            }
        }
        catch (VmStoreException e)
        {
            InvariantViolation.Check(
                e.Message.StartsWith("config of VM ", StringComparison.Ordinal)
                || e.Message.StartsWith("the host settings host.json ", StringComparison.Ordinal)
                || e.Message.StartsWith($"the checkpoints of VM {Folder.Path} ", StringComparison.Ordinal),
                $"a refusal that does not name the file: {e.Message}");
            InvariantViolation.Check(!e.Message.Contains('\n'), "a refusal of more than one line");
        }
    }

    private static void CheckConfig(VmConfiguration config)
    {
        StoredConfiguration.Check(config);
        byte[] once = ConfigDocument.Serialize(config);
        byte[] twice = ConfigDocument.Serialize(ConfigDocument.Deserialize(once, FolderId));
        InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "a config saved and loaded again is saved differently");
    }

    private static void CheckHost(HostSettings settings)
    {
        var pool = MacAddressPool.Of(settings);
        string mac = pool.NewDynamic(new HashSet<string>());
        InvariantViolation.Check(
            string.CompareOrdinal(mac, pool.Minimum) >= 0 && string.CompareOrdinal(mac, pool.Maximum) <= 0 && MacAddress.Normalize(mac) == mac,
            $"the range {pool.Minimum}-{pool.Maximum} gave {mac}");
        byte[] once = HostSettingsDocument.Serialize(settings);
        byte[] twice = HostSettingsDocument.Serialize(HostSettingsDocument.Parse(once, "host.json"));
        InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "host settings saved and loaded again are saved differently");
    }

    private static void CheckTree(CheckpointTree tree)
    {
        foreach (VmCheckpoint checkpoint in tree.Checkpoints)
        {
            StoredConfiguration.Check(checkpoint.Configuration);
            IReadOnlyList<VmCheckpoint> below = tree.Subtree(checkpoint.Id);
            InvariantViolation.Check(below.Count <= tree.Checkpoints.Count && below[^1] == checkpoint, "a subtree larger than the tree, or without its root last");
        }

        foreach (DiskOverlay overlay in tree.Overlays)
        {
            InvariantViolation.Check(tree.Chain(overlay.Path).Take(tree.Overlays.Count + 2).Count() <= tree.Overlays.Count + 1, "an overlay chain longer than the overlays");
        }

        byte[] once = CheckpointTree.Serialize(tree);
        byte[] twice = CheckpointTree.Serialize(CheckpointTree.Parse(once, Folder));
        InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "a tree saved and loaded again is saved differently");
    }
}
