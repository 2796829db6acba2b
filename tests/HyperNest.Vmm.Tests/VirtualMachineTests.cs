using HyperNest.Vmm.Cpu;

namespace HyperNest.Vmm.Tests;

/// <summary>
/// The VM runtime on this host's real /dev/kvm, with the built-in guest; each test is skipped, with the reason, where
/// this host's KVM is not usable.
/// </summary>
[Trait("Requires", "kvm")]
public sealed class VirtualMachineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Built_In_Guest_Powers_Off_And_Run_Returns_PowerOff(int vcpus)
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = VirtualMachine.Create(new VmConfig { VcpuCount = vcpus, MemoryBytes = 64UL << 20 }, console);

        Assert.Equal(VmStopReason.PowerOff, vm.Run());
        Assert.Contains($"{vcpus} vCPU(s), 64 MiB RAM", console.Text);
        Assert.All(vm.Vcpus, vcpu => Assert.Equal(VcpuRunState.Exited, vcpu.State));
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_Vm_Has_A_Memory_Balloon_Unless_Configured_Without(bool attach)
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = VirtualMachine.Create(new VmConfig { MemoryBytes = 64UL << 20, AttachBalloon = attach }, console);

        Assert.Equal(attach, vm.Balloon is not null);
        Assert.Equal(VmStopReason.PowerOff, vm.Run());
    }

    [SkippableFact]
    public void A_Running_Guest_Pauses_Resumes_And_Stops_Promptly()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = HoldingGuest(2, console);
        BackgroundRun run = BackgroundRun.Start(vm);
        WaitFor(() => vm.Vcpus.Count == 2 && vm.Vcpus.All(v => v.State == VcpuRunState.Running), "vCPUs running");

        vm.Pause();
        Assert.All(vm.Vcpus, vcpu => Assert.Equal(VcpuRunState.Paused, vcpu.State));

        vm.Resume();
        WaitFor(() => vm.Vcpus.All(v => v.State == VcpuRunState.Running), "vCPUs running again");

        vm.RequestStop(VmStopReason.Stopped, "test");
        Assert.True(run.Join(Patience), "Run() did not return after RequestStop");
        Assert.Equal(VmStopReason.Stopped, run.Result);
        Assert.All(vm.Vcpus, vcpu => Assert.Equal(VcpuRunState.Exited, vcpu.State));
    }

    [SkippableFact]
    public void Power_Button_Makes_A_Holding_Guest_Power_Off()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = HoldingGuest(1, console);
        BackgroundRun run = BackgroundRun.Start(vm);
        WaitFor(() => console.Text.Contains("holding", StringComparison.Ordinal), "the guest to hold");

        vm.PressPowerButton();

        Assert.True(run.Join(Patience), "the guest did not power off after the power button");
        Assert.Equal(VmStopReason.PowerOff, run.Result);
        Assert.Contains("power button pressed", console.Text);
    }

    [SkippableFact]
    public void Stopping_A_Paused_Guest_Ends_Run()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = HoldingGuest(1, console);
        BackgroundRun run = BackgroundRun.Start(vm);
        WaitFor(() => vm.Vcpus.Count == 1 && vm.Vcpus[0].State == VcpuRunState.Running, "vCPU running");

        vm.Pause();
        vm.RequestStop(VmStopReason.Stopped);

        Assert.True(run.Join(Patience), "Run() did not return");
        Assert.Equal(VmStopReason.Stopped, run.Result);
    }

    [SkippableFact]
    public void Benchmark_Port_Round_Trips_Are_Counted_As_Exits()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = VirtualMachine.Create(
            new VmConfig { MemoryBytes = 64UL << 20, KernelArguments = "hnest.bench=1000" }, console);

        Assert.Equal(VmStopReason.PowerOff, vm.Run());
        Assert.True(vm.Vcpus[0].ExitCount >= 1000, $"only {vm.Vcpus[0].ExitCount} exits");
    }

    /// <summary>The built-in guest told to stay up after its banner (hnest.hold=1) until stopped or powered off.</summary>
    private static VirtualMachine HoldingGuest(int vcpus, ConsoleCapture console) =>
        VirtualMachine.Create(new VmConfig { VcpuCount = vcpus, MemoryBytes = 64UL << 20, KernelArguments = "hnest.hold=1" }, console);

    /// <summary>VirtualMachine.Run on its own thread, as the worker and hnest run call it.</summary>
    private sealed class BackgroundRun
    {
        private readonly Thread _thread;

        private BackgroundRun(VirtualMachine vm) => _thread = new Thread(() => Result = vm.Run()) { IsBackground = true };

        public VmStopReason? Result { get; private set; }

        public static BackgroundRun Start(VirtualMachine vm)
        {
            var run = new BackgroundRun(vm);
            run._thread.Start();
            return run;
        }

        public bool Join(TimeSpan timeout) => _thread.Join(timeout);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }
}
