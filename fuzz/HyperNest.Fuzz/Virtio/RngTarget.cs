using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-rng (virtio 1.2 §5.4) driven by a hostile driver (<see cref="VirtioGuest"/>): besides the ring rules, a
/// chain the driver reads as well-formed comes back with its writable bytes filled, up to the device's bound per
/// request (<see cref="Rng.MaxBytesPerRequest"/>), and no more.
/// </summary>
public sealed class RngTarget : IFuzzTarget
{
    public string Name => "virtio-rng";

    public string Description => "entropy requests from a hostile driver; no escape, used ⊆ offered, used length = writable bytes (capped)";

    public void Run(ReadOnlySpan<byte> input)
    {
        var buffers = new List<GuestBuffer>();
        var guest = new VirtioGuest(new Rng(), VirtioGuest.FreshMemory());
        guest.Used = (queue, head, usedLength) =>
        {
            if (!guest.IsChecked || !guest.TryReadChain(queue, head, buffers, out int firstWritable))
            {
                return;
            }

            long writable = VirtioGuest.LengthOf(buffers, firstWritable, buffers.Count);
            long expected = Math.Min(writable, Rng.MaxBytesPerRequest);
            InvariantViolation.Check(usedLength == expected, $"a chain with {writable} writable bytes came back with used length {usedLength}, not {expected}");
        };
        var reader = new FuzzInput(input);
        guest.Run(ref reader);
    }
}
