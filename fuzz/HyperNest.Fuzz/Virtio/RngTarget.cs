using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>virtio-rng (virtio 1.2 §5.4) driven by a hostile driver (<see cref="VirtioGuest"/>).</summary>
public sealed class RngTarget : IFuzzTarget
{
    public string Name => "virtio-rng";

    public string Description => "entropy requests from a hostile driver; no escape, used ⊆ offered";

    public void Run(ReadOnlySpan<byte> input)
    {
        using var memory = new GuestMemory(VirtioGuest.MemorySize);
        var guest = new VirtioGuest(new Rng(), memory);
        var reader = new FuzzInput(input);
        guest.Run(ref reader);
    }
}
