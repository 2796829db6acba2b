using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Lifecycle;

/// <summary>Get-VMHost and Set-VMHost (VmManager.Host.cs): host.json, the MAC range new adapters use, the paths.</summary>
public sealed class VmManagerHostTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly VmManager _manager;

    public VmManagerHostTests()
    {
        _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_Host_Shows_Its_Processors_Memory_And_The_Stores_Defaults()
    {
        VmHostInfo host = _manager.GetHost();

        Assert.Equal(Environment.ProcessorCount, host.LogicalProcessorCount);
        Assert.Equal(Vmm.HostMemory.TotalBytes, host.MemoryCapacityBytes);
        Assert.True(host.MemoryCapacityBytes > 0);
        Assert.Equal("00155D000000", host.MacAddressMinimum);
        Assert.Equal("00155DFFFFFF", host.MacAddressMaximum);
        Assert.Equal(Path.Combine(_temp.Home, "vms"), host.VirtualMachinePath);
        Assert.Equal(Path.Combine(_temp.Home, "disks"), host.VirtualHardDiskPath);
        Assert.Contains(host.Accelerator, (string[])["kvm", "emulated", "none"]);
        Assert.Equal(host.NestedVirtualizationSupported, host.NestedVirtualizationProblem is null);
    }

    [Fact]
    public void New_Adapters_Take_Their_Dynamic_Mac_From_The_Hosts_Range_Until_It_Is_Exhausted()
    {
        _manager.SetHost(new HostChanges { MacAddressMinimum = "00-15-5d-02-06-00", MacAddressMaximum = "00155D020601" });

        string first = Assert.Single(_manager.NewVm(new NewVmOptions { Name = "a" }).Configuration.NetworkAdapters).MacAddress;
        string second = Assert.Single(_manager.NewVm(new NewVmOptions { Name = "b" }).Configuration.NetworkAdapters).MacAddress;
        var exhausted = Assert.Throws<VmOperationException>(() => _manager.AddNetworkAdapter("a", "second", new NetworkAdapterChanges()));

        Assert.Equal(["00155D020600", "00155D020601"], new[] { first, second }.Order());
        Assert.StartsWith("the dynamic MAC address range of this host (00155D020600-00155D020601) is exhausted", exhausted.Message);
        Assert.Single(_manager.GetVm("a").Configuration.NetworkAdapters);
    }

    [Fact]
    public void The_Range_Is_Kept_In_Host_Json_And_Read_Back_By_Another_Manager()
    {
        _manager.SetHost(new HostChanges { MacAddressMinimum = "00155D020600", MacAddressMaximum = "00155D0206FF" });

        VmHostInfo read = new VmManager(new Management.Store.VmStore(_temp.Home), new WorkerLauncher("/bin/false", [])).GetHost();

        Assert.Equal(("00155D020600", "00155D0206FF"), (read.MacAddressMinimum, read.MacAddressMaximum));
        Assert.True(File.Exists(Path.Combine(_temp.Home, "host.json")));
    }

    [Theory]
    [InlineData("00155D0206FF", "00155D020600", "The MAC address range 00155D0206FF-00155D020600 is empty: the minimum must not be above the maximum.")]
    [InlineData("01155D000000", "01155D0000FF", "'01155D000000' is not a valid static MAC address: it must be a non-zero unicast address.")]
    [InlineData("00155D02060", "00155D0206FF", "'00155D02060' is not a valid MAC address (expected 12 hex digits, e.g. 00155D0A1B2C).")]
    public void A_Bad_Range_Is_Refused_In_One_Line_And_Nothing_Is_Written(string minimum, string maximum, string message)
    {
        var refused = Assert.Throws<VmValidationException>(() => _manager.SetHost(new HostChanges { MacAddressMinimum = minimum, MacAddressMaximum = maximum }));

        Assert.Equal(message, refused.Message);
        Assert.False(File.Exists(Path.Combine(_temp.Home, "host.json")));
    }

    [Fact]
    public void Virtual_Machine_Path_Is_The_Stores_And_Another_Folder_Is_Refused_Naming_Hypernest_Home()
    {
        Assert.Equal(Path.Combine(_temp.Home, "vms"), _manager.SetHost(new HostChanges { VirtualMachinePath = _temp.Home + "/vms/" }).VirtualMachinePath);

        var refused = Assert.Throws<VmValidationException>(() => _manager.SetHost(new HostChanges { VirtualMachinePath = "/srv/vms", MacAddressMinimum = "00155D020600" }));

        Assert.Contains("HYPERNEST_HOME", refused.Message);
        Assert.Equal("00155D000000", _manager.GetHost().MacAddressMinimum);
    }

    [Fact]
    public void Virtual_Hard_Disk_Path_Must_Be_An_Existing_Folder()
    {
        string disks = Directory.CreateDirectory(Path.Combine(_temp.Home, "images")).FullName;

        Assert.Equal(disks, _manager.SetHost(new HostChanges { VirtualHardDiskPath = disks }).VirtualHardDiskPath);
        Assert.Equal("VirtualHardDiskPath '/nonexistent/disks' is not an existing folder.",
            Assert.Throws<VmValidationException>(() => _manager.SetHost(new HostChanges { VirtualHardDiskPath = "/nonexistent/disks" })).Message);
        Assert.Equal(disks, _manager.GetHost().VirtualHardDiskPath);
    }

    [Fact]
    public void Host_Json_Of_A_Newer_Hypernest_Is_Refused_Whole()
    {
        File.WriteAllText(Path.Combine(_temp.Home, "host.json"), """{"schemaVersion": 2, "macAddressMinimum": "00155D020600"}""");

        Assert.Contains("written by a newer HyperNest (schema 2)", Assert.Throws<VmStoreException>(_manager.GetHost).Message);
        Assert.Throws<VmStoreException>(() => _manager.NewVm(new NewVmOptions { Name = "web" }));
    }

    [Fact]
    public void Processor_Clock_Is_The_First_Cpu_MHz_Line_And_0_Without_One()
    {
        string cpuinfo = Path.Combine(_temp.Home, "cpuinfo");
        File.WriteAllText(cpuinfo, "processor\t: 0\ncpu MHz\t\t: 2445.424\nprocessor\t: 1\ncpu MHz\t\t: 1200.000\n");
        string none = Path.Combine(_temp.Home, "none");
        File.WriteAllText(none, "processor\t: 0\n");

        Assert.Equal(2445.424, VmManager.ProcessorMegahertz(cpuinfo), 3);
        Assert.Equal(0, VmManager.ProcessorMegahertz(none));
    }
}
