using System.Text.Json;
using HyperNest.Kvm;
using HyperNest.Management.Store;

namespace HyperNest.Management.Networking;

/// <summary>
/// The virtual switches of the store: <c>switches/&lt;id&gt;.json</c>, versioned and written atomically like a VM's
/// config.json. One lock (<c>switches.lock</c>) serialises every change to switches and every connection of an
/// adapter to one; lock order: the store lock, then this one, then a VM's. The records and the lock follow the
/// store's access (<see cref="VmStore.Access"/>).
/// </summary>
public sealed class SwitchStore(VmStore store)
{
    /// <summary>The records' folder and the lock file, in the store's folder.</summary>
    public const string FolderName = "switches", LockName = "switches.lock";

    public string SwitchesDirectory => Path.Combine(store.Home, FolderName);

    public FileLock Lock()
    {
        store.CreateFolders(SwitchesDirectory);
        return store.Lock(Path.Combine(store.Home, LockName));
    }

    public SwitchListing List()
    {
        var switches = new List<VirtualSwitch>();
        var problems = new List<StoreProblem>();
        foreach (string file in store.Entries(() => Directory.EnumerateFiles(SwitchesDirectory, "*.json")))
        {
            if (!Guid.TryParse(Path.GetFileNameWithoutExtension(file), out Guid id))
            {
                continue; // A temporary file left by a crash.
            }

            try
            {
                switches.Add(Read(id, File.ReadAllBytes(file)));
            }
            catch (VmStoreException e)
            {
                problems.Add(new StoreProblem(id, e.UserMessage()));
            }
            catch (FileNotFoundException)
            {
                // Removed while we listed it.
            }
        }

        return new SwitchListing([.. switches.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)], problems);
    }

    /// <summary>A switch by name (ignoring case, Hyper-V's rule) or id; null when there is none.</summary>
    public VirtualSwitch? Find(string name)
    {
        IReadOnlyList<VirtualSwitch> switches = List().Switches;
        return switches.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? (Guid.TryParse(name, out Guid id) ? switches.FirstOrDefault(s => s.Id == id) : null);
    }

    /// <summary>Writes the record atomically; the caller holds <see cref="Lock"/>.</summary>
    public void Save(VirtualSwitch record)
    {
        store.CreateFolders(SwitchesDirectory);
        try
        {
            store.Writer.Write(FileOf(record.Id), JsonSerializer.SerializeToUtf8Bytes(
                record with { SchemaVersion = VirtualSwitch.CurrentSchemaVersion }, ManagementJsonContext.Default.VirtualSwitch));
        }
        catch (Exception e) when (StoreAccess.IsDenial(e))
        {
            throw StoreAccess.ChangeDenied(store.Home);
        }
        catch (Exception e) when (e is IOException or KvmException)
        {
            throw new VmStoreException($"cannot write the record of virtual switch '{record.Name}' to {SwitchesDirectory}: {e.UserMessage()}");
        }
    }

    public void Delete(Guid id)
    {
        store.EnsureCanChange(SwitchesDirectory);
        File.Delete(FileOf(id));
        DirectorySync.Flush(SwitchesDirectory);
    }

    /// <summary>The schema version is read first: a record from a newer HyperNest is refused whole, never half-read.</summary>
    private static VirtualSwitch Read(Guid id, byte[] json)
    {
        try
        {
            using (JsonDocument document = JsonDocument.Parse(json))
            {
                if (!document.RootElement.TryGetProperty("schemaVersion", out JsonElement version) || !version.TryGetInt32(out int schema))
                {
                    throw Corrupt(id, "no schemaVersion");
                }

                if (schema > VirtualSwitch.CurrentSchemaVersion)
                {
                    throw new VmStoreException(
                        $"virtual switch {id} was written by a newer HyperNest (schema {schema}); this one reads up to {VirtualSwitch.CurrentSchemaVersion}");
                }
            }

            VirtualSwitch? record = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.VirtualSwitch);
            return record is not null && record.Id == id && !string.IsNullOrWhiteSpace(record.Name)
                ? record
                : throw Corrupt(id, record is null ? "empty" : record.Id != id ? $"its id is {record.Id}, not the file's" : "no name");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Corrupt(id, e.UserMessage());
        }
    }

    private string FileOf(Guid id) => Path.Combine(SwitchesDirectory, $"{id}.json");

    private static VmStoreException Corrupt(Guid id, string why) => new($"the record of virtual switch {id} is corrupt: {why}");
}
