using HyperNest.Kvm;

namespace HyperNest.Vmm.Devices;

/// <summary>An interrupt line driven with KVM_IRQ_LINE (raise, then lower: one edge).</summary>
public sealed class KvmIrqLine(KvmVm vm, uint gsi) : IInterruptLine
{
    public uint Gsi => gsi;

    public void Trigger()
    {
        vm.SetIrqLine(gsi, true);
        vm.SetIrqLine(gsi, false);
    }
}
