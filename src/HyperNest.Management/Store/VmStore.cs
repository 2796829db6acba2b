using HyperNest.Kvm;
using HyperNest.Management.Model;

namespace HyperNest.Management.Store;

/// <summary>
/// The host inventory: a directory with one folder per VM (named by its id) holding config.json. No daemon: every
/// change happens under a per-VM flock, so two commands on one VM serialise across processes and commands on
/// different VMs do not wait for each other. Creating a VM (the unique-name check) takes the store-wide lock;
/// whoever needs both takes the store lock first. Everything it makes follows <see cref="Access"/>.
/// </summary>
public sealed class VmStore
{
    private const string VmsName = "vms", StoreLockName = "store.lock", HostSettingsName = "host.json", RunningAtStopName = "running-at-stop.json";

    /// <summary>What HyperNest keeps in a store's folder; anything else there (a disk image put beside it) is its owner's business.</summary>
    private static readonly string[] Owned = [VmsName, StoreLockName, Networking.SwitchStore.FolderName, Networking.SwitchStore.LockName, HostSettingsName, RunningAtStopName];

    private readonly HostFileAccess? _access;

    /// <summary>
    /// The store at <paramref name="home"/>; what it makes gets <paramref name="access"/>, by default what
    /// <see cref="StoreAccess.For"/> says of the store at the time.
    /// </summary>
    public VmStore(string home, HostFileAccess? access = null)
    {
        Home = Path.GetFullPath(home);
        _access = access;
        Writer = new AtomicFile(() => Access);
    }

    public string Home { get; }

    public string VmsDirectory => Path.Combine(Home, VmsName);

    /// <summary>
    /// Who may use what this store makes: its owner, and the group that shares root's stores. Looked up each time
    /// (one lstat, one group lookup), so a group made while a worker runs counts from then on.
    /// </summary>
    public HostFileAccess Access => _access ?? StoreAccess.For(Home);

    internal AtomicFile Writer { get; }

    /// <summary>The store at <see cref="StoreLocation.Resolve()"/>.</summary>
    public static VmStore OpenDefault() => new(StoreLocation.Resolve());

    public VmFolder Folder(Guid id) => new(Path.Combine(VmsDirectory, id.ToString()));

    /// <summary>Set-VMHost's settings (<see cref="HostSettings"/>).</summary>
    public string HostSettingsFile => Path.Combine(Home, HostSettingsName);

    /// <summary>The VMs that were running when <c>hnest host stop-vms</c> last ran: StartIfRunning starts them again.</summary>
    public string RunningAtStopFile => Path.Combine(Home, RunningAtStopName);

    /// <summary>The host settings; the defaults while none were set. Throws <see cref="VmStoreException"/> for a bad file.</summary>
    public HostSettings LoadHost() => HostSettingsDocument.Read(HostSettingsFile);

    /// <summary>Writes the host settings atomically; the caller holds the store lock.</summary>
    public void SaveHost(HostSettings settings) => WriteFile(HostSettingsFile, HostSettingsDocument.Serialize(settings), "the host settings");

    /// <summary>
    /// Writes a file of the store (<see cref="HostSettingsFile"/>, <see cref="RunningAtStopFile"/>) atomically with the
    /// store's access; a refusal names the store, any other failure <paramref name="what"/>.
    /// </summary>
    internal void WriteFile(string path, ReadOnlySpan<byte> content, string what)
    {
        CreateFolders();
        try
        {
            Writer.Write(path, content);
        }
        catch (Exception e) when (StoreAccess.IsDenial(e))
        {
            throw StoreAccess.ChangeDenied(Home);
        }
        catch (Exception e) when (e is IOException or KvmException)
        {
            throw new VmStoreException($"cannot write {what} to {path}: {e.UserMessage()}");
        }
    }

    /// <summary>Serialises VM creation and anything else that must see every VM unchanged (names, MAC addresses).</summary>
    public FileLock LockStore()
    {
        CreateFolders(VmsDirectory);
        return Lock(Path.Combine(Home, StoreLockName));
    }

    /// <summary>Serialises changes to one VM. After taking it, re-read the config: it may have changed or gone.</summary>
    public FileLock LockVm(Guid id)
    {
        VmFolder folder = Folder(id);
        if (!Directory.Exists(folder.Path))
        {
            throw new VmNotFoundException(id.ToString());
        }

        return Lock(folder.LockFile);
    }

    /// <summary>
    /// A lock file of this store, made with its access when missing. Throws <see cref="HostPermissionException"/>
    /// when this process may not read it, or may not make it.
    /// </summary>
    internal FileLock Lock(string path)
    {
        try
        {
            return FileLock.Acquire(path, Access);
        }
        catch (KvmException e) when (StoreAccess.IsDenial(e))
        {
            throw File.Exists(path) ? StoreAccess.ReadDenied(Home) : StoreAccess.ChangeDenied(Home);
        }
    }

    /// <summary>
    /// The entries <paramref name="list"/> finds in a folder of this store, in ordinal order; none when the folder
    /// does not exist yet. Throws <see cref="HostPermissionException"/> when this process may not read it.
    /// </summary>
    internal IReadOnlyList<string> Entries(Func<IEnumerable<string>> list)
    {
        try
        {
            return [.. list().Order(StringComparer.Ordinal)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            throw StoreAccess.ReadDenied(Home);
        }
    }

    public StoreListing List()
    {
        var vms = new List<VmConfiguration>();
        var problems = new List<StoreProblem>();
        foreach (string directory in Entries(() => Directory.EnumerateDirectories(VmsDirectory)))
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
                problems.Add(new StoreProblem(id, e.UserMessage()));
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
            throw new VmStoreException($"config of VM {id} cannot be read: {e.UserMessage()}");
        }

        return ConfigDocument.Deserialize(json, id);
    }

    /// <summary>Writes the config atomically. The caller holds the VM's lock (or the store lock for a new VM).</summary>
    public void Save(VmConfiguration config)
    {
        VmFolder folder = Folder(config.Id);
        CreateFolders(VmsDirectory, folder.Path);
        WriteFile(folder.ConfigFile, ConfigDocument.Serialize(config), $"the config of VM '{config.Name}'");
    }

    /// <summary>Deletes the VM's folder (config, logs, runtime files). Disk images outside it are untouched.</summary>
    public void Delete(Guid id)
    {
        VmFolder folder = Folder(id);
        EnsureCanChange(folder.Path);
        // Drop config.json first: a crash half-way leaves a folder that lists as a problem, not a half-VM.
        File.Delete(folder.ConfigFile);
        Directory.Delete(folder.Path, recursive: true);
        DirectorySync.Flush(VmsDirectory);
    }

    /// <summary>
    /// Refuses, before anything is touched, a change this process may not make in <paramref name="directory"/> (a
    /// VM's folder, the switches' folder): a member of the sharing group reads the store but does not change it.
    /// </summary>
    public void EnsureCanChange(string directory)
    {
        if (!ProcessCredentials.CanWrite(directory))
        {
            throw StoreAccess.ChangeDenied(Home);
        }
    }

    /// <summary>
    /// Brings an existing store to <see cref="Access"/>: its folder and every folder, file and socket HyperNest keeps
    /// in it (links are not followed) get their mode and group. Returns the one-line warning to show when anything
    /// was open wider; null when nothing was, the store does not exist yet, or it is another user's.
    /// </summary>
    public string? Tighten()
    {
        List<string> entries;
        try
        {
            if (FileStatus.Read(Home) is not { IsDirectory: true } home || (home.UserId != ProcessCredentials.EffectiveUserId && !ProcessCredentials.IsRoot))
            {
                return null;
            }

            var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            entries = [Home];
            foreach (string owned in Owned.Select(name => Path.Combine(Home, name)))
            {
                FileStatus? status = FileStatus.Read(owned);
                entries.AddRange(status is null ? [] : [owned]);
                entries.AddRange(status is { IsDirectory: true } ? Directory.EnumerateFileSystemEntries(owned, "*", everything) : []);
            }
        }
        catch (Exception e) when (e is KvmException or IOException or UnauthorizedAccessException)
        {
            return null; // Out of this process's reach (root without CAP_DAC_OVERRIDE): whatever it does next says so.
        }

        HostFileAccess access = Access;
        int narrowed = 0;
        foreach (string path in entries)
        {
            try
            {
                narrowed += access.Conform(path) ? 1 : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or KvmException)
            {
                // Gone since it was listed (a temporary file), or not ours after all: the next use looks again.
            }
        }

        return narrowed == 0 ? null : StoreAccess.Tightened(Home, access, narrowed);
    }

    /// <summary>
    /// Makes the store's folders that are missing, <see cref="Home"/> first, with <see cref="Access"/>. Throws
    /// <see cref="HostPermissionException"/> when this process may not, <see cref="VmStoreException"/> when they cannot be made.
    /// </summary>
    internal void CreateFolders(params string[] folders)
    {
        HostFileAccess access = Access;
        try
        {
            foreach (string folder in folders.Prepend(Home))
            {
                access.CreateDirectory(folder);
            }
        }
        catch (Exception e) when (StoreAccess.IsDenial(e))
        {
            throw StoreAccess.ChangeDenied(Home);
        }
        catch (Exception e) when (e is IOException or KvmException)
        {
            throw new VmStoreException($"cannot create the HyperNest store at {Home}: {e.UserMessage()}");
        }
    }
}
