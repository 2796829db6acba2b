using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Lifecycle;

public sealed class VmManagerTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly VmManager _manager;

    public VmManagerTests()
    {
        _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
    }

    public void Dispose() => _temp.Dispose();

    private void FakeWorker(Guid id, VmState state, int? pid = null, long? startTicks = null) => _temp.FakeWorker(id, state, pid, startTicks);

    [Fact]
    public void New_Vm_Gets_Hyper_V_Defaults_And_One_Adapter_With_A_Dynamic_Mac()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });

        Assert.Equal(VmState.Off, vm.State);
        Assert.Equal(1, vm.Configuration.ProcessorCount);
        Assert.Equal(512 * VmMemorySettings.MiB, vm.Configuration.Memory.StartupBytes);
        VmNetworkAdapter adapter = Assert.Single(vm.Configuration.NetworkAdapters);
        Assert.Equal("Network Adapter", adapter.Name);
        Assert.StartsWith(MacAddress.DynamicPrefix, adapter.MacAddress);
        Assert.True(vm.Configuration.Boot.IsBuiltIn);
    }

    [Fact]
    public void Names_Are_Unique_Ignoring_Case_And_Found_Ignoring_Case()
    {
        _manager.NewVm(new NewVmOptions { Name = "Web" });

        Assert.Equal("A virtual machine named 'WEB' already exists.",
            Assert.Throws<VmValidationException>(() => _manager.NewVm(new NewVmOptions { Name = "WEB" })).Message);
        Assert.Equal("Web", _manager.GetVm("web").Name);
    }

    [Fact]
    public void Unknown_Vm_Uses_Hyper_Vs_Message() =>
        Assert.Equal("HyperNest was unable to find a virtual machine with name \"nope\".",
            Assert.Throws<VmNotFoundException>(() => _manager.GetVm("nope")).Message);

    [Fact]
    public void Processor_Count_Changes_Only_While_Off_And_The_Error_Names_The_State()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        FakeWorker(vm.Id, VmState.Running);

        var e = Assert.Throws<VmStateException>(() => _manager.SetProcessor("web", new ProcessorChanges { Count = 2 }));

        Assert.Contains("while it is Running", e.Message);
        Assert.Equal(VmState.Running, _manager.GetVm("web").State);
    }

    [Fact]
    public void Nested_Exposure_Changes_Only_While_Off()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        FakeWorker(vm.Id, VmState.Paused);

        Assert.Contains("ExposeVirtualizationExtensions of 'web' while it is Paused",
            Assert.Throws<VmStateException>(() => _manager.SetProcessor("web", new ProcessorChanges { ExposeVirtualizationExtensions = true })).Message);
    }

    [Fact]
    public void A_Dead_Worker_Shows_Off_With_The_Reason_Never_Running()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        FakeWorker(vm.Id, VmState.Running, startTicks: HostProcess.Current.StartTicks + 1);

        VmInfo read = _manager.GetVm("web");

        Assert.Equal(VmState.Off, read.State);
        Assert.Equal($"the worker process (pid {Environment.ProcessId}) ended unexpectedly (hnest vm log web)", read.LastStopReason);
        Assert.Null(read.WorkerPid);
    }

    [Fact]
    public void Same_State_Request_Is_A_Warning()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        VmActionResult result = _manager.Stop("web", new StopOptions { TurnOff = true });

        Assert.Equal("'web': The virtual machine is already in the specified state.", result.Warning);
    }

    [Fact]
    public void Resume_Of_An_Off_Vm_Is_Refused() =>
        Assert.Throws<VmStateException>(() =>
        {
            _manager.NewVm(new NewVmOptions { Name = "web" });
            _manager.Resume("web");
        });

    [Fact]
    public void Save_Asks_The_Worker_And_Says_When_It_Does_Not_Answer()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        FakeWorker(vm.Id, VmState.Running);

        // No control socket: the save never reached a worker, and nothing was written.
        Assert.Contains("does not answer on its control socket", Assert.Throws<VmOperationException>(() => _manager.Save("web")).Message);
        Assert.False(_temp.Store.Folder(vm.Id).HasSavedState);
    }

    [Fact]
    public void A_Vm_With_A_Saved_State_And_No_Worker_Is_Saved()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedStateFile, "state");

        Assert.Equal(VmState.Saved, _manager.GetVm("web").State);
    }

    [Fact]
    public void Remove_Saved_State_Deletes_Both_Files_And_Leaves_The_Vm_Off()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedStateFile, "state");
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedMemoryFile, "memory");

        Assert.Equal(VmState.Off, _manager.RemoveSavedState("web").Vm.State);
        Assert.False(File.Exists(_temp.Store.Folder(vm.Id).SavedStateFile));
        Assert.False(File.Exists(_temp.Store.Folder(vm.Id).SavedMemoryFile));
    }

    [Fact]
    public void Turning_Off_A_Saved_Vm_Discards_Its_Saved_State_As_Hyper_V_Does()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedStateFile, "state");

        Assert.Equal(VmState.Off, _manager.Stop("web", new StopOptions { TurnOff = true }).Vm.State);
        Assert.False(_temp.Store.Folder(vm.Id).HasSavedState);
    }

    [Fact]
    public void A_Saved_Vm_Is_Removed_Without_Force()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedStateFile, "state");

        _manager.RemoveVm("web", force: false, deleteDisks: false);

        Assert.Throws<VmNotFoundException>(() => _manager.GetVm("web"));
    }

    [Fact]
    public void Remove_Saved_State_Of_An_Off_Vm_Is_Hyper_Vs_Already_In_State_Warning()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        Assert.Equal("'web': The virtual machine is already in the specified state.", _manager.RemoveSavedState("web").Warning);
    }

    [Fact]
    public void Nested_With_Dynamic_Memory_Refuses_To_Start()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });
        _manager.SetProcessor("web", new ProcessorChanges { ExposeVirtualizationExtensions = true });
        _manager.SetMemory("web", new MemoryChanges { DynamicMemoryEnabled = true });

        Assert.Contains("cannot use Dynamic Memory", Assert.Throws<VmValidationException>(() => _manager.Start("web")).Message);
    }

    [Fact]
    public void A_Vm_That_Starts_With_More_Memory_Than_The_Host_Has_Does_Not_Start_And_Stays_Off()
    {
        _manager.NewVm(new NewVmOptions { Name = "big" });
        _manager.SetMemory("big", new MemoryChanges { StartupBytes = 12UL << 40 });

        var error = Assert.Throws<VmOperationException>(() => _manager.Start("big"));

        Assert.StartsWith("Not enough memory in the system to start 'big': it starts with 12582912 MB and this host has ", error.Message);
        Assert.Equal(VmState.Off, _manager.GetVm("big").State);
    }

    [Fact]
    public void Remove_Refuses_A_Running_Vm_Unless_Forced_And_Keeps_Disks()
    {
        string disk = Path.Combine(_temp.Home, "disk.raw");
        File.WriteAllBytes(disk, new byte[4096]);
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web", DiskPaths = [disk] });
        FakeWorker(vm.Id, VmState.Running);

        Assert.Throws<VmStateException>(() => _manager.RemoveVm("web"));
        File.Delete(_temp.Store.Folder(vm.Id).RuntimeFile);
        _manager.RemoveVm("web");

        Assert.Empty(_manager.GetVms().Vms);
        Assert.True(File.Exists(disk));
    }

    [Fact]
    public void Adapters_Get_Distinct_Macs_And_A_Static_Mac_Cannot_Collide_With_Another_Vm()
    {
        VmInfo a = _manager.NewVm(new NewVmOptions { Name = "a" });
        _manager.NewVm(new NewVmOptions { Name = "b" });
        _manager.AddNetworkAdapter("b", "second", new NetworkAdapterChanges());
        string taken = a.Configuration.NetworkAdapters[0].MacAddress;

        Assert.Contains("already in use",
            Assert.Throws<VmValidationException>(() => _manager.SetNetworkAdapter("b", "second", new NetworkAdapterChanges { StaticMacAddress = taken })).Message);
        string[] macs = [.. _manager.GetVms().Vms.SelectMany(v => v.Configuration.NetworkAdapters).Select(n => n.MacAddress)];
        Assert.Equal(macs.Length, macs.Distinct().Count());
    }
}
