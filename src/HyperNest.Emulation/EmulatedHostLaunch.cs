using HyperNest.Emulation.Image;
using HyperNest.Kvm;
using HyperNest.Emulation.Qemu;

namespace HyperNest.Emulation;

/// <summary>What to boot: the image, this run's payload, the VM's size and disks, and where the host's log goes.</summary>
/// <param name="Image">The cached kernel and initramfs.</param>
/// <param name="Payload">The hnest command line and the files it needs.</param>
/// <param name="GuestMemoryBytes">The VM's RAM; the emulated host gets this plus <see cref="EmulatedHost.OverheadMiB"/>.</param>
/// <param name="Cpus">The VM's vCPUs; the emulated host gets as many CPUs.</param>
/// <param name="Disks">The VM's disks, passed through as virtio-blk.</param>
/// <param name="LogPath">Where the emulated host's own console (kernel and init messages) is written.</param>
public sealed record EmulatedHostLaunch(
    EmulatedHostImage Image, RunPayload Payload, ulong GuestMemoryBytes, int Cpus, IReadOnlyList<EmulatedHostDisk> Disks, string LogPath)
{
    /// <summary>The VM's network adapters, TAP devices on this host (see <see cref="EmulatedHostNic"/>).</summary>
    public IReadOnlyList<EmulatedHostNic> Nics { get; init; } = [];

    /// <summary>Who may read the log at <see cref="LogPath"/>: its owner, or the group of the store it is in.</summary>
    public HostFileAccess LogAccess { get; init; } = HostFileAccess.OwnerOnly;
}
