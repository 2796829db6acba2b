using HyperNest.Kvm;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

/// <summary>
/// docs/architecture.md, "Access", for what a store makes: everything owner-only, or shared with a group for reading;
/// a store found open wider is tightened once, with one warning; a refused store file is named, not /dev/kvm.
/// </summary>
public sealed class StoreAccessTests : IDisposable
{
    private const string OwnerOnlyModes = "(folders 0700, files 0600, sockets 0600)";
    private readonly TempStore _temp = new(HostFileAccess.OwnerOnly);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Everything_A_Store_Makes_Is_Owner_Only()
    {
        VmConfiguration web = Fill(_temp.Store);

        IReadOnlyList<(string Path, FileStatus Status)> entries = StoreEntries.Of(_temp.Home);

        Assert.Equal(
            ["", "store.lock", "switches", "switches.lock", $"switches/{SwitchId(_temp.Home)}.json", "vms", $"vms/{web.Id}", $"vms/{web.Id}/config.json", $"vms/{web.Id}/vm.lock"],
            entries.Select(e => e.Path == _temp.Home ? "" : Path.GetRelativePath(_temp.Home, e.Path)).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(e.Status.IsDirectory ? "0700" : "0600", StoreAccess.Octal(e.Status.Permissions)));
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Store_Shared_With_A_Group_Lets_It_Read_And_Nothing_More()
    {
        Skip.IfNot(HostRoot.Usable, HostRoot.WhyNot);
        using var shared = new TempStore(new HostFileAccess(HostRoot.Outsider));
        Fill(shared.Store);

        IReadOnlyList<(string Path, FileStatus Status)> entries = StoreEntries.Of(shared.Home);

        Assert.Equal(9, entries.Count);
        Assert.All(entries, e => Assert.Equal(
            (e.Status.IsDirectory ? "0750" : "0640", HostRoot.Outsider),
            (StoreAccess.Octal(e.Status.Permissions), e.Status.GroupId)));
    }

    [Fact]
    public void A_Store_Open_Wider_Is_Tightened_Once_With_A_Warning_That_Says_How_Much()
    {
        Fill(_temp.Store);
        int opened = StoreEntries.OpenToOthers(_temp.Home);

        Assert.Equal($"the HyperNest store at {_temp.Home} was open to more than its owner: tightened {opened} files and folders {OwnerOnlyModes}", _temp.Store.Tighten());
        Assert.Null(_temp.Store.Tighten());
        Assert.All(StoreEntries.Of(_temp.Home), e => Assert.Equal(e.Status.IsDirectory ? "0700" : "0600", StoreAccess.Octal(e.Status.Permissions)));
    }

    [Fact]
    public void Tightening_Follows_No_Link_Out_Of_The_Store()
    {
        VmConfiguration web = _temp.Add("web");
        string outside = Path.Combine(Path.GetTempPath(), $"hnest-outside-{Guid.NewGuid():N}");
        File.WriteAllText(outside, "not the store's");
        File.SetUnixFileMode(outside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            File.CreateSymbolicLink(Path.Combine(_temp.Store.Folder(web.Id).Path, "disk.img"), outside);

            Assert.Null(_temp.Store.Tighten());
            Assert.Equal("0644", StoreAccess.Octal(File.GetUnixFileMode(outside)));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_File_Put_Beside_The_Store_s_Own_Is_Its_Owner_s_Business()
    {
        _temp.Add("web");
        string disk = Path.Combine(_temp.Home, "disk.img");
        File.WriteAllBytes(disk, new byte[512]);
        File.SetUnixFileMode(disk, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Null(_temp.Store.Tighten());
        Assert.Equal("0644", StoreAccess.Octal(File.GetUnixFileMode(disk)));
    }

    [Fact]
    public void A_Store_Not_Made_Yet_Is_Neither_Tightened_Nor_Made()
    {
        string home = Path.Combine(_temp.Home, "not-yet");

        Assert.Null(new VmStore(home, HostFileAccess.OwnerOnly).Tighten());
        Assert.False(Directory.Exists(home));
    }

    [Fact]
    public void A_Store_File_That_Cannot_Be_Opened_Is_Named_Not_Dev_Kvm()
    {
        string lockFile = _temp.Store.Folder(Guid.NewGuid()).LockFile;

        Assert.Equal($"open {lockFile} failed: permission denied (EACCES)", AcceleratorSelector.Describe(new KvmException($"open {lockFile}", Errno.EACCES)));
        Assert.Equal(
            $"no permission to open {KvmSystem.DevicePath}: run as root or join the 'kvm' group",
            AcceleratorSelector.Describe(new KvmException($"open {KvmSystem.DevicePath}", Errno.EACCES)));
    }

    /// <summary>A VM (config.json), both store locks, the VM's lock and a switch record.</summary>
    private static VmConfiguration Fill(VmStore store)
    {
        VmConfiguration web = TempStore.NewConfig("web");
        store.Save(web);
        store.LockStore().Dispose();
        store.LockVm(web.Id).Dispose();
        var switches = new SwitchStore(store);
        switches.Lock().Dispose();
        switches.Save(new VirtualSwitch { Id = Guid.NewGuid(), Name = "lab", SwitchType = VirtualSwitchType.Private, BridgeName = "hnbr-00000000" });
        return web;
    }

    private static Guid SwitchId(string home) => Guid.Parse(Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(home, "switches"), "*.json").Single()));
}
