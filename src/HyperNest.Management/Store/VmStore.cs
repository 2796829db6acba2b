using HyperNest.Kvm;
using HyperNest.Management.Model;

namespace HyperNest.Management.Store;

/// <summary>
/// The host inventory: a directory with one folder per VM (named by its id) holding config.json. No daemon: every
/// change happens under a per-VM flock, so two commands on one VM serialise across processes and commands on
/// different VMs do not wait for each other. Creating a VM (the unique-name check) takes the store-wide lock;
/// whoever needs both takes the store lock first.
/// </summary>
public sealed class VmStore
{
    public VmStore(string home)
    {
        Home = Path.GetFullPath(home);
    }

    public string Home { get; }

    public string VmsDirectory => Path.Combine(Home, "vms");

    internal AtomicFile Writer { get; } = new();

    /// <summary>The store at <see cref="StoreLocation.Resolve()"/>.</summary>
    public static VmStore OpenDefault() => new(StoreLocation.Resolve());

    public VmFolder Folder(Guid id) => new(Path.Combine(VmsDirectory, id.ToString()));

    /// <summary>Serialises VM creation and anything else that must see every VM unchanged (names, MAC addresses).</summary>
    public FileLock LockStore()
    {
        EnsureCreated();
        return FileLock.Acquire(Path.Combine(Home, "store.lock"));
    }

    /// <summary>Serialises changes to one VM. After taking it, re-read the config: it may have changed or gone.</summary>
    public FileLock LockVm(Guid id)
    {
        VmFolder folder = Folder(id);
        if (!Directory.Exists(folder.Path))
        {
            throw new VmNotFoundException(id.ToString());
        }

        return FileLock.Acquire(folder.LockFile);
    }

    public StoreListing List()
    {
        var vms = new List<VmConfiguration>();
        var problems = new List<StoreProblem>();
        if (!Directory.Exists(VmsDirectory))
        {
            return new StoreListing(vms, problems);
        }

        foreach (string directory in Directory.EnumerateDirectories(VmsDirectory).Order(StringComparer.Ordinal))
        {
            if (!Guid.TryParse(Path.GetFileName(directory), out Guid id))
            {
                continue;
            }

            try
            {
                vms.Add(Load(id));
            }
            catch (VmStoreException e)
            {
                problems.Add(new StoreProblem(id, e.Message));
            }
            catch (VmNotFoundException)
            {
                // Removed while we listed it.
            }
        }

        return new StoreListing(vms, problems);
    }

    public VmConfiguration Load(Guid id)
    {
        VmFolder folder = Folder(id);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(folder.ConfigFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (Directory.Exists(folder.Path))
            {
                throw new VmStoreException($"config of VM {id} is missing ({folder.ConfigFile})");
            }

            throw new VmNotFoundException(id.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VmStoreException($"config of VM {id} cannot be read: {e.Message}");
        }

        return ConfigDocument.Deserialize(json, id);
    }

    /// <summary>Writes the config atomically. The caller holds the VM's lock (or the store lock for a new VM).</summary>
    public void Save(VmConfiguration config)
    {
        VmFolder folder = Folder(config.Id);
        try
        {
            Directory.CreateDirectory(folder.Path);
            Writer.Write(folder.ConfigFile, ConfigDocument.Serialize(config));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KvmException)
        {
            throw new VmStoreException($"cannot write the config of VM '{config.Name}' to {folder.Path}: {e.Message}");
        }
    }

    /// <summary>Deletes the VM's folder (config, logs, runtime files). Disk images outside it are untouched.</summary>
    public void Delete(Guid id)
    {
        VmFolder folder = Folder(id);
        // Drop config.json first: a crash half-way leaves a folder that lists as a problem, not a half-VM.
        File.Delete(folder.ConfigFile);
        Directory.Delete(folder.Path, recursive: true);
        DirectorySync.Flush(VmsDirectory);
    }

    private void EnsureCreated()
    {
        try
        {
            Directory.CreateDirectory(VmsDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VmStoreException($"cannot create the HyperNest store at {Home}: {e.Message}");
        }
    }
}
