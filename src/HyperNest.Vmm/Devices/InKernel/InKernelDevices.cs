using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Devices.InKernel;

/// <summary>
/// Save and restore of the devices KVM emulates: the two 8259 PICs and the IOAPIC (KVM_GET/SET_IRQCHIP, api.rst
/// §4.26–4.27), the i8254 (KVM_GET/SET_PIT2) and kvmclock (KVM_GET/SET_CLOCK, §4.29–4.30). Call with every vCPU
/// of the VM paused (or not yet started); restore after KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2.
/// </summary>
public static class InKernelDevices
{
    public static InKernelDevicesState Save(KvmVm vm)
    {
        KvmClockData clock = vm.GetClock();
        KvmPitState2 pit = vm.GetPit2();
        return new InKernelDevicesState
        {
            PicMaster = ChipBytes(vm.GetIrqchip(KvmIrqchip.PicMaster)),
            PicSlave = ChipBytes(vm.GetIrqchip(KvmIrqchip.PicSlave)),
            Ioapic = ChipBytes(vm.GetIrqchip(KvmIrqchip.Ioapic)),
            Pit = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref pit, 1)).ToArray(),
            KvmClock = clock.Clock,
            KvmClockFlags = clock.Flags,
        };
    }

    /// <summary>
    /// Puts the devices back; refuses (InvalidDataException naming the field) a state of the wrong version or sizes
    /// before setting anything.
    /// <para>
    /// The clock is set with flags 0: kvmclock resumes at the saved value, as if no time had passed while the VM was
    /// saved. That matches the vCPUs, whose TSC comes back as the saved IA32_TSC value, so the guest's two clocks
    /// stay in step; KVM_CLOCK_REALTIME would advance kvmclock by the wall-clock gap but not the TSC. A guest that
    /// must learn the real time after a restore resynchronizes it itself (NTP, or a host agent), as after a
    /// Hyper-V saved state.
    /// </para>
    /// </summary>
    public static void Restore(KvmVm vm, InKernelDevicesState state)
    {
        EnsureRestorable(state);
        vm.SetIrqchip(Chip(KvmIrqchip.PicMaster, state.PicMaster));
        vm.SetIrqchip(Chip(KvmIrqchip.PicSlave, state.PicSlave));
        vm.SetIrqchip(Chip(KvmIrqchip.Ioapic, state.Ioapic));
        vm.SetPit2(MemoryMarshal.Read<KvmPitState2>(state.Pit));
        vm.SetClock(new KvmClockData { Clock = state.KvmClock, Flags = 0 });
    }

    public static void EnsureRestorable(InKernelDevicesState state)
    {
        Check(state.Version == InKernelDevicesState.CurrentVersion, nameof(state.Version),
            $"is {state.Version}; this HyperNest reads version {InKernelDevicesState.CurrentVersion}");
        CheckSize(state.PicMaster, InKernelDevicesState.IrqchipStateSize, nameof(state.PicMaster));
        CheckSize(state.PicSlave, InKernelDevicesState.IrqchipStateSize, nameof(state.PicSlave));
        CheckSize(state.Ioapic, InKernelDevicesState.IrqchipStateSize, nameof(state.Ioapic));
        CheckSize(state.Pit, InKernelDevicesState.PitStateSize, nameof(state.Pit));
    }

    private static byte[] ChipBytes(KvmIrqchip chip) => ((ReadOnlySpan<byte>)chip.State).ToArray();

    private static KvmIrqchip Chip(uint id, byte[] payload)
    {
        var chip = new KvmIrqchip { ChipId = id };
        payload.CopyTo((Span<byte>)chip.State);
        return chip;
    }

    private static void CheckSize(byte[]? blob, int size, string field) =>
        Check(blob?.Length == size, field, $"is {blob?.Length ?? 0} bytes, not {size}");

    private static void Check(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"in-kernel device state: {field} {problem}");
        }
    }
}
