using System.Text.Json.Nodes;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Lifecycle;

/// <summary>Set-VM and Rename-VM (VmManager.Vm.cs): Hyper-V's rules, all or nothing.</summary>
public sealed class VmManagerVmTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly VmManager _manager;

    public VmManagerVmTests()
    {
        _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_New_Vm_Has_Hyper_Vs_Automatic_Actions_And_No_Notes()
    {
        VmConfiguration config = _manager.NewVm(new NewVmOptions { Name = "web" }).Configuration;

        Assert.Equal(StartAction.StartIfRunning, config.AutomaticStartAction);
        Assert.Equal(0, config.AutomaticStartDelay);
        Assert.Equal(StopAction.Save, config.AutomaticStopAction);
        Assert.Null(config.Notes);
    }

    [Fact]
    public void A_Config_Written_Before_These_Settings_Reads_With_Hyper_Vs_Defaults()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        string file = _temp.Store.Folder(vm.Id).ConfigFile;
        JsonObject json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json.Remove("automaticStartAction");
        json.Remove("automaticStopAction");
        json.Remove("automaticStartDelay");
        File.WriteAllText(file, json.ToJsonString());

        VmConfiguration config = _manager.GetVm("web").Configuration;

        Assert.Equal(StartAction.StartIfRunning, config.AutomaticStartAction);
        Assert.Equal(StopAction.Save, config.AutomaticStopAction);
    }

    [Fact]
    public void Notes_And_Automatic_Actions_Change_While_The_Vm_Runs()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        _temp.FakeWorker(vm.Id, VmState.Running);

        VmConfiguration config = _manager.SetVm("web", new VmChanges
        {
            Notes = "front end",
            AutomaticStartAction = StartAction.Start,
            AutomaticStartDelay = 30,
            AutomaticStopAction = StopAction.ShutDown,
        }).Configuration;

        Assert.Equal("front end", config.Notes);
        Assert.Equal(StartAction.Start, config.AutomaticStartAction);
        Assert.Equal(30, config.AutomaticStartDelay);
        Assert.Equal(StopAction.ShutDown, config.AutomaticStopAction);
        VmConfiguration stored = _temp.Store.Load(vm.Id);
        Assert.Equal((config.Notes, config.AutomaticStartAction, config.AutomaticStartDelay, config.AutomaticStopAction),
            (stored.Notes, stored.AutomaticStartAction, stored.AutomaticStartDelay, stored.AutomaticStopAction));
    }

    [Fact]
    public void Empty_Notes_Clear_Them()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });
        _manager.SetVm("web", new VmChanges { Notes = "x" });

        Assert.Null(_manager.SetVm("web", new VmChanges { Notes = "" }).Configuration.Notes);
    }

    [Theory]
    [InlineData("processor count")]
    [InlineData("memory")]
    [InlineData("accelerator")]
    public void Processor_Count_Memory_And_Accelerator_Change_Only_While_Off_And_Nothing_Else_Of_The_Call_Is_Stored(string setting)
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        _temp.FakeWorker(vm.Id, VmState.Running);
        byte[] before = File.ReadAllBytes(_temp.Store.Folder(vm.Id).ConfigFile);
        var changes = new VmChanges
        {
            Notes = "not stored",
            AutomaticStopAction = StopAction.TurnOff,
            ProcessorCount = setting == "processor count" ? 2 : null,
            MemoryStartupBytes = setting == "memory" ? 1UL << 30 : null,
            Accelerator = setting == "accelerator" ? Accelerator.Emulated : null,
        };

        var refused = Assert.Throws<VmStateException>(() => _manager.SetVm("web", changes));

        Assert.Contains($"the {setting}", refused.Message);
        Assert.Contains("while it is Running: the virtual machine must be Off.", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(_temp.Store.Folder(vm.Id).ConfigFile));
    }

    [Fact]
    public void Processor_Count_And_Memory_Change_While_Off_With_Set_VMProcessors_And_Set_VMMemorys_Checks()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        VmConfiguration config = _manager.SetVm("web", new VmChanges
        {
            ProcessorCount = 1, MemoryStartupBytes = 1UL << 30, DynamicMemoryEnabled = true, MemoryMinimumBytes = 256UL << 20, MemoryMaximumBytes = 2UL << 30,
        }).Configuration;

        Assert.Equal(1UL << 30, config.Memory.StartupBytes);
        Assert.True(config.Memory.DynamicMemoryEnabled);
        Assert.Equal(256UL << 20, config.Memory.MinimumBytes);
        Assert.Equal(2UL << 30, config.Memory.MaximumBytes);
        var viaSetVm = Assert.Throws<VmValidationException>(() => _manager.SetVm("web", new VmChanges { MemoryMaximumBytes = 128UL << 20 }));
        var viaSetVmMemory = Assert.Throws<VmValidationException>(() => _manager.SetMemory("web", new MemoryChanges { MaximumBytes = 128UL << 20 }));
        Assert.Equal(viaSetVmMemory.Message, viaSetVm.Message);
        Assert.Equal(
            Assert.Throws<VmValidationException>(() => _manager.SetProcessor("web", new ProcessorChanges { Count = 100_000 })).Message,
            Assert.Throws<VmValidationException>(() => _manager.SetVm("web", new VmChanges { ProcessorCount = 100_000 })).Message);
    }

    [Fact]
    public void A_Negative_Start_Delay_Is_Refused_In_One_Line()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        Assert.Equal("The automatic start delay -1 is not valid: give 0 or more seconds.",
            Assert.Throws<VmValidationException>(() => _manager.SetVm("web", new VmChanges { AutomaticStartDelay = -1, Notes = "x" })).Message);
        Assert.Null(_manager.GetVm("web").Configuration.Notes);
    }

    [Fact]
    public void Rename_Works_While_The_Vm_Runs_And_Keeps_Its_Folder_And_Worker()
    {
        VmInfo vm = _manager.NewVm(new NewVmOptions { Name = "web" });
        _temp.FakeWorker(vm.Id, VmState.Running);

        VmInfo renamed = _manager.RenameVm("web", "web-old");

        Assert.Equal("web-old", renamed.Name);
        Assert.Equal(vm.Id, renamed.Id);
        Assert.Equal(VmState.Running, renamed.State);
        Assert.Equal(Environment.ProcessId, renamed.WorkerPid);
        Assert.Equal("web-old", _manager.GetVm("WEB-OLD").Name);
        Assert.Throws<VmNotFoundException>(() => _manager.GetVm("web"));
    }

    [Fact]
    public void Rename_Refuses_Another_Vms_Name_Ignoring_Case_But_Takes_A_Change_Of_Case()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });
        _manager.NewVm(new NewVmOptions { Name = "db" });

        Assert.Equal("A virtual machine named 'DB' already exists.", Assert.Throws<VmValidationException>(() => _manager.RenameVm("web", "DB")).Message);
        Assert.Equal("Web", _manager.RenameVm("web", "Web").Name);
    }

    [Fact]
    public void Rename_Refuses_A_Name_Hyper_V_Would_Refuse()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        Assert.Equal("The virtual machine name cannot be empty.", Assert.Throws<VmValidationException>(() => _manager.RenameVm("web", "  ")).Message);
        Assert.Equal("web", _manager.GetVm("web").Name);
    }
}
