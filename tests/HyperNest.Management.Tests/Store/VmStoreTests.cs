using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

public sealed class VmStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Saved_Config_Reads_Back_Equal_With_Its_Schema_Version()
    {
        VmConfiguration config = TempStore.NewConfig("web") with
        {
            ProcessorCount = 2,
            Memory = new VmMemorySettings { StartupBytes = 1UL << 30 },
            NetworkAdapters = [new VmNetworkAdapter { Name = "Network Adapter", MacAddress = "00155D000001" }],
            HardDrives = [new VmHardDiskDrive { Path = "/images/a.raw", ReadOnly = true }],
        };
        _temp.Store.Save(config);

        VmConfiguration read = _temp.Store.Load(config.Id);

        Assert.Equal(config.Name, read.Name);
        Assert.Equal(config.Memory, read.Memory);
        Assert.Equal(config.NetworkAdapters, read.NetworkAdapters);
        Assert.Equal(config.HardDrives, read.HardDrives);
        Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(_temp.Store.Folder(config.Id).ConfigFile));
    }

    [Fact]
    public void Config_From_A_Newer_Schema_Is_Refused_Whole()
    {
        VmConfiguration config = _temp.Add("future");
        string file = _temp.Store.Folder(config.Id).ConfigFile;
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 7"));

        var e = Assert.Throws<VmStoreException>(() => _temp.Store.Load(config.Id));

        Assert.Equal($"config of VM 'future' ({config.Id}) was written by a newer HyperNest (schema 7); this one reads up to 1", e.Message);
    }

    [Fact]
    public void Corrupt_Config_Is_Reported_By_Name_And_The_Others_Still_Listed()
    {
        VmConfiguration good = _temp.Add("good");
        VmConfiguration bad = _temp.Add("bad");
        string file = _temp.Store.Folder(bad.Id).ConfigFile;
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"processorCount\": 1", "\"processorCount\": \"many\""));

        StoreListing listing = _temp.Store.List();

        Assert.Equal(good.Id, Assert.Single(listing.Vms).Id);
        StoreProblem problem = Assert.Single(listing.Problems);
        Assert.Equal(bad.Id, problem.Id);
        Assert.StartsWith($"config of VM 'bad' ({bad.Id}) is corrupt", problem.Message);
    }

    [Fact]
    public void Truncated_Config_Is_Reported_As_Corrupt()
    {
        VmConfiguration config = _temp.Add("cut");
        File.WriteAllText(_temp.Store.Folder(config.Id).ConfigFile, "{\"schemaVersion\": 1, \"na");

        var e = Assert.Throws<VmStoreException>(() => _temp.Store.Load(config.Id));

        Assert.Contains("is corrupt", e.Message);
    }

    [Fact]
    public void Leftover_Temporary_Files_Are_Ignored()
    {
        VmConfiguration config = _temp.Add("left");
        File.WriteAllText(Path.Combine(_temp.Store.Folder(config.Id).Path, AtomicFile.TemporaryPrefix + "config.json-x"), "{");

        StoreListing listing = _temp.Store.List();

        Assert.Single(listing.Vms);
        Assert.Empty(listing.Problems);
    }

    [Fact]
    public void Delete_Removes_The_Folder_And_Load_Then_Says_Not_Found()
    {
        VmConfiguration config = _temp.Add("gone");

        _temp.Store.Delete(config.Id);

        Assert.False(Directory.Exists(_temp.Store.Folder(config.Id).Path));
        Assert.Throws<VmNotFoundException>(() => _temp.Store.Load(config.Id));
    }

    [Fact]
    public void Vm_Lock_Is_Exclusive_Per_Vm_And_Independent_Between_Vms()
    {
        VmConfiguration a = _temp.Add("a");
        VmConfiguration b = _temp.Add("b");

        using (Kvm.FileLock held = _temp.Store.LockVm(a.Id))
        {
            Assert.Null(Kvm.FileLock.TryAcquire(_temp.Store.Folder(a.Id).LockFile, Kvm.HostFileAccess.OwnerOnly));
            using Kvm.FileLock? other = Kvm.FileLock.TryAcquire(_temp.Store.Folder(b.Id).LockFile, Kvm.HostFileAccess.OwnerOnly);
            Assert.NotNull(other);
        }

        using Kvm.FileLock? again = Kvm.FileLock.TryAcquire(_temp.Store.Folder(a.Id).LockFile, Kvm.HostFileAccess.OwnerOnly);
        Assert.NotNull(again);
    }
}
