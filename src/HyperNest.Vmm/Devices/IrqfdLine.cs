using HyperNest.Kvm;

namespace HyperNest.Vmm.Devices;

/// <summary>An interrupt line bound to an eventfd with KVM_IRQFD: one write per edge, no KVM_IRQ_LINE round trip.</summary>
public sealed class IrqfdLine : IInterruptLine, IDisposable
{
    private readonly EventFd _eventFd = new();

    public IrqfdLine(KvmVm vm, uint gsi)
    {
        Gsi = gsi;
        try
        {
            vm.RegisterIrqfd(_eventFd, gsi);
        }
        catch
        {
            _eventFd.Dispose();
            throw;
        }
    }

    public uint Gsi { get; }

    public void Trigger() => _eventFd.Signal();

    public void Dispose() => _eventFd.Dispose();
}
