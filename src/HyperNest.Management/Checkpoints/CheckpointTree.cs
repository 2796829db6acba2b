using HyperNest.Kvm;
using System.Text.Json;
using System.Text.Unicode;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Checkpoints;

/// <summary>
/// A VM's checkpoints (checkpoints/tree.json in its folder, written atomically under the VM's lock): the records, the
/// checkpoint the VM's present descends from, and every overlay HyperNest made with its backing file. An image is
/// referenced by the VM's configuration (its present disks) or by a checkpoint (frozen); an overlay referenced by
/// neither but the backing file of several others is internal (what is left of a removed checkpoint with several
/// children).
/// </summary>
public sealed record CheckpointTree
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Hyper-V's ParentCheckpointId of the VM: the parent of the next checkpoint; null when there is none.</summary>
    public Guid? CurrentId { get; init; }

    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    public IReadOnlyList<VmCheckpoint> Checkpoints { get; init => field = value ?? []; } = [];

    public IReadOnlyList<DiskOverlay> Overlays { get; init => field = value ?? []; } = [];

    /// <summary>The tree of <paramref name="folder"/>; empty when it has none. Throws <see cref="VmStoreException"/> when it cannot be read or is corrupt (<see cref="Parse"/>).</summary>
    public static CheckpointTree Read(VmFolder folder)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(folder.CheckpointTreeFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CheckpointTree();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VmStoreException($"the checkpoints of VM {folder.Path} cannot be read: {e.UserMessage()}");
        }

        return Parse(json, folder);
    }

    /// <summary>
    /// The tree <paramref name="json"/> holds (the file of <paramref name="folder"/>), held to the shape HyperNest
    /// writes: every checkpoint whole and once, its parent and the current one among them with no cycle, each overlay
    /// once with its backing chain ending. A file edited by hand that breaks it is refused as corrupt, naming what is
    /// wrong, rather than sending a walk of the tree round for ever.
    /// </summary>
    /// <exception cref="VmStoreException">"the checkpoints of VM X are corrupt ...", or of a newer schema.</exception>
    public static CheckpointTree Parse(byte[] json, VmFolder folder)
    {
        if (!Utf8.IsValid(json))
        {
            throw Corrupt(folder, "it is not UTF-8 text");
        }

        CheckpointTree? tree;
        try
        {
            tree = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.CheckpointTree);
        }
        catch (JsonException e)
        {
            throw Corrupt(folder, e.UserMessage());
        }

        if (tree is null || tree.SchemaVersion > CurrentSchemaVersion)
        {
            throw new VmStoreException($"the checkpoints of VM {folder.Path} ({folder.CheckpointTreeFile}) were written by a newer HyperNest or are empty");
        }

        if (tree.Problem() is { } problem)
        {
            throw Corrupt(folder, problem);
        }

        return tree;
    }

    public static byte[] Serialize(CheckpointTree tree) => JsonSerializer.SerializeToUtf8Bytes(tree, ManagementJsonContext.Default.CheckpointTree);

    private static VmStoreException Corrupt(VmFolder folder, string why) =>
        new($"the checkpoints of VM {folder.Path} are corrupt ({folder.CheckpointTreeFile}): {why}");

    /// <summary>What breaks the shape <see cref="Parse"/> holds the tree to; null when nothing does.</summary>
    private string? Problem()
    {
        var byId = new Dictionary<Guid, VmCheckpoint>();
        foreach (VmCheckpoint? checkpoint in Checkpoints)
        {
            if (checkpoint is null || checkpoint.Name is null || checkpoint.Configuration is null)
            {
                return "a checkpoint has no name or configuration";
            }

            if (!byId.TryAdd(checkpoint.Id, checkpoint))
            {
                return $"checkpoint {checkpoint.Id} is there twice";
            }

            try
            {
                StoredConfiguration.Check(checkpoint.Configuration);
            }
            catch (VmValidationException e)
            {
                return $"the configuration of checkpoint '{checkpoint.Name}' is damaged: {e.UserMessage()}";
            }
        }

        if (CurrentId is { } current && !byId.ContainsKey(current))
        {
            return $"the current checkpoint {current} is none of them";
        }

        foreach (VmCheckpoint checkpoint in Checkpoints)
        {
            // A parent chain longer than the tree has checkpoints goes round: a cycle.
            int steps = 0;
            for (Guid? at = checkpoint.ParentId; at is { } id; at = byId[id].ParentId)
            {
                if (!byId.ContainsKey(id))
                {
                    return $"the parent {id} of checkpoint '{checkpoint.Name}' is none of them";
                }

                if (++steps > byId.Count)
                {
                    return $"checkpoint '{checkpoint.Name}' descends from itself";
                }
            }
        }

        var backing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DiskOverlay? overlay in Overlays)
        {
            if (overlay?.Path is null || overlay.BackingPath is null || !Enum.IsDefined(overlay.BackingFormat))
            {
                return "an overlay has no path, backing file or known backing format";
            }

            if (!backing.TryAdd(overlay.Path, overlay.BackingPath))
            {
                return $"overlay {overlay.Path} is there twice";
            }
        }

        foreach (string path in backing.Keys)
        {
            int steps = 0;
            for (string? at = path; at is not null && backing.TryGetValue(at, out string? next); at = next)
            {
                if (++steps > backing.Count)
                {
                    return $"overlay {path} is backed by itself";
                }
            }
        }

        return null;
    }

    /// <summary>The checkpoints named <paramref name="nameOrId"/> (ignoring case), or the one with that id.</summary>
    public IReadOnlyList<VmCheckpoint> Named(string nameOrId) =>
        Guid.TryParse(nameOrId, out Guid id) && Checkpoints.FirstOrDefault(c => c.Id == id) is { } byId
            ? [byId]
            : [.. Checkpoints.Where(c => string.Equals(c.Name, nameOrId, StringComparison.OrdinalIgnoreCase))];

    /// <summary><paramref name="id"/> and every checkpoint below it, children before their parents.</summary>
    public IReadOnlyList<VmCheckpoint> Subtree(Guid id)
    {
        var order = new List<VmCheckpoint>();
        void Visit(VmCheckpoint checkpoint)
        {
            foreach (VmCheckpoint child in Checkpoints.Where(c => c.ParentId == checkpoint.Id))
            {
                Visit(child);
            }

            order.Add(checkpoint);
        }

        Visit(Checkpoints.First(c => c.Id == id));
        return order;
    }

    /// <summary>Whether a checkpoint holds <paramref name="path"/> frozen, or the VM (<paramref name="config"/>) uses it.</summary>
    public bool IsReferenced(string path, VmConfiguration config) =>
        config.HardDrives.Any(d => d.Path == path) || Checkpoints.Any(c => c.Configuration.HardDrives.Any(d => d.Path == path));

    /// <summary>Whether a checkpoint froze <paramref name="path"/> or an overlay was built on it (it must not change or go).</summary>
    public bool DependsOn(string path) =>
        ChildrenOf(path).Count > 0 || Checkpoints.Any(c => c.Configuration.HardDrives.Any(d => d.Path == path));

    /// <summary>The overlays whose backing file is <paramref name="path"/>.</summary>
    public IReadOnlyList<DiskOverlay> ChildrenOf(string path) => [.. Overlays.Where(o => o.BackingPath == path)];

    /// <summary><paramref name="path"/> and the backing files below it, as far as HyperNest made them (then the file it started from).</summary>
    public IEnumerable<string> Chain(string path)
    {
        for (string? at = path; at is not null; at = Overlays.FirstOrDefault(o => o.Path == at)?.BackingPath)
        {
            yield return at;
        }
    }

    /// <summary>Every image reference <paramref name="from"/> becomes <paramref name="to"/>: checkpoints' disks and overlays' backing files.</summary>
    public CheckpointTree Replace(string from, string to, Vmm.Disks.DiskFormat toFormat) => this with
    {
        Checkpoints = [.. Checkpoints.Select(c => c with { Configuration = ReplaceDisk(c.Configuration, from, to) })],
        Overlays = [.. Overlays.Where(o => o.Path != from).Select(o => o.BackingPath == from ? o with { BackingPath = to, BackingFormat = toFormat } : o)],
    };

    /// <summary><paramref name="config"/> with its hard drive <paramref name="from"/> (if any) at <paramref name="to"/>.</summary>
    public static VmConfiguration ReplaceDisk(VmConfiguration config, string from, string to) =>
        config with { HardDrives = [.. config.HardDrives.Select(d => d.Path == from ? d with { Path = to } : d)] };
}
