namespace HyperNest.Vmm.Devices;

/// <summary>An edge-triggered interrupt line into the guest's irqchip (a GSI), through irqfd or KVM_IRQ_LINE.</summary>
public interface IInterruptLine
{
    /// <summary>The GSI (IOAPIC pin) the line is wired to, as announced to the guest.</summary>
    uint Gsi { get; }

    /// <summary>Signals one interrupt edge.</summary>
    void Trigger();
}
