namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>One descriptor's buffer: <see cref="Length"/> bytes of guest RAM at <see cref="Address"/>.</summary>
public readonly record struct GuestBuffer(ulong Address, uint Length);
