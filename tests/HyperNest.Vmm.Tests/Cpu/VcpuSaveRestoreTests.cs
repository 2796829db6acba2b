using System.Text.Json;
using HyperNest.Vmm.SavedStates;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices.InKernel;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// Save and restore of a vCPU on this host's /dev/kvm with a <see cref="CountingGuest"/>: the state taken from one
/// VM, through JSON, into a second VM built fresh with the same memory, carries on where the first stopped.
/// </summary>
[Trait("Requires", "kvm")]
public sealed class VcpuSaveRestoreTests
{
    private const int ReadsBeforePause = 20;
    private const int CountsAfterRestore = 3;

    [SkippableFact]
    public void A_Restored_Guest_Counts_On_From_Where_It_Was_Saved_And_Its_Pending_Port_Read_Is_Not_Repeated()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        VcpuState saved;
        InKernelDevicesState devices;
        byte[] memory;
        uint lastCount, pendingAnswer;
        using (CountingGuest first = CountingGuest.Create(boot: true))
        {
            // Pause from inside the 20th port read: the IN instruction is then half-done (KVM finishes it on the
            // next KVM_RUN), which Pause must complete before the state is read.
            first.Ports.OnEvent = (port, value) =>
            {
                if (port == "in" && value == GuestPorts.FirstAnswer + ReadsBeforePause)
                {
                    first.Vcpu.Pause();
                }
            };
            first.Vcpu.Start();
            first.WaitFor(VcpuRunState.Paused);

            saved = RoundTrip(first.Vcpu.Save());
            devices = JsonSerializer.Deserialize(
                JsonSerializer.Serialize(InKernelDevices.Save(first.Vm), SavedStateJsonContext.Default.InKernelDevicesState),
                SavedStateJsonContext.Default.InKernelDevicesState)!;
            memory = first.MemoryImage();
            lastCount = first.Ports.Events.Last(e => e.Port == "count").Value;
            pendingAnswer = first.Ports.Events[^1].Value;
            Assert.Equal(("in", GuestPorts.FirstAnswer + ReadsBeforePause), first.Ports.Events[^1]);
        }

        Assert.Equal(ReadsBeforePause, (int)lastCount);
        Assert.Equal(pendingAnswer, (uint)saved.Registers.Rax); // the read landed in EAX before the save
        Assert.Equal(lastCount, (uint)saved.Registers.Rbx);

        using CountingGuest second = CountingGuest.Create(boot: false, memory);
        second.Ports.OnEvent = (port, value) =>
        {
            if (port == "count" && value == lastCount + CountsAfterRestore)
            {
                second.Vcpu.Pause();
            }
        };
        InKernelDevices.Restore(second.Vm, devices);
        second.Vcpu.Restore(saved);
        second.Vcpu.Start();
        second.WaitFor(VcpuRunState.Paused);

        IReadOnlyList<(string Port, uint Value)> after = second.Ports.Events;
        Assert.Equal(
            [
                ("echo", pendingAnswer),
                ("count", lastCount + 1), ("in", GuestPorts.FirstAnswer + 1), ("echo", GuestPorts.FirstAnswer + 1),
                ("count", lastCount + 2), ("in", GuestPorts.FirstAnswer + 2), ("echo", GuestPorts.FirstAnswer + 2),
                ("count", lastCount + 3),
            ],
            after);
        Assert.Equal(lastCount + CountsAfterRestore, second.Memory.Read<ulong>(CountingGuest.CountAddress));
    }

    [SkippableFact]
    public void Save_Is_Refused_While_The_Vcpu_Runs_And_After_It_Exited()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using CountingGuest guest = CountingGuest.Create(boot: true);
        guest.Vcpu.Start();
        guest.WaitFor(VcpuRunState.Running);

        Assert.Throws<InvalidOperationException>(() => guest.Vcpu.Save());
        guest.Vcpu.Stop();
        Assert.Throws<InvalidOperationException>(() => guest.Vcpu.Save());
    }

    [SkippableFact]
    public void A_Vcpu_That_Has_Started_Cannot_Be_Restored()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using CountingGuest guest = CountingGuest.Create(boot: true);
        VcpuState state = guest.Vcpu.Save();
        guest.Vcpu.Start();
        guest.Vcpu.Pause();

        Assert.Throws<InvalidOperationException>(() => guest.Vcpu.Restore(state));
    }

    public static TheoryData<string, Func<VcpuState, int, VcpuState>> Impossible => new()
    {
        { "VcpuId", (s, _) => s with { VcpuId = 1 } },
        { "Xsave", (s, xsaveSize) => s with { Xsave = new byte[xsaveSize + 64] } },
        { "Xsave", (s, _) => s with { Xsave = new byte[100] } },
        { "Lapic", (s, _) => s with { Lapic = new byte[16] } },
    };

    /// <summary>The refusal comes before any KVM call: the target vCPU still has no CPUID table, the first thing set.</summary>
    [SkippableTheory]
    [MemberData(nameof(Impossible))]
    public void An_Impossible_State_Is_Refused_Before_Kvm_Is_Touched(string field, Func<VcpuState, int, VcpuState> spoil)
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using CountingGuest source = CountingGuest.Create(boot: true);
        using CountingGuest target = CountingGuest.Create(boot: false);
        VcpuState spoiled = spoil(source.Vcpu.Save(), target.Vm.XsaveSize);

        var refused = Assert.Throws<InvalidDataException>(() => target.Vcpu.Restore(spoiled));

        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.KvmVcpu.GetCpuid().Count);
    }

    private static VcpuState RoundTrip(VcpuState state) => JsonSerializer.Deserialize(
        JsonSerializer.Serialize(state, SavedStateJsonContext.Default.VcpuState), SavedStateJsonContext.Default.VcpuState)!;
}
