using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Accelerators;

/// <summary>
/// Where a VM's vCPUs run (libvirt calls this the domain type). A VM setting, and <c>hnest run --accel</c>.
/// </summary>
[JsonConverter(typeof(EnumNameConverter<Accelerator>))]
public enum Accelerator
{
    /// <summary><see cref="Kvm"/> when this host's /dev/kvm opens and can run the guest, else <see cref="Emulated"/>.</summary>
    Auto,

    /// <summary>This host's /dev/kvm (kvm_intel or kvm_amd).</summary>
    Kvm,

    /// <summary>
    /// An emulated host: QEMU's TCG emulating an x86 machine with AMD-V, running a minimal Linux whose real KVM runs
    /// the VM with the same hnest engine. Works without /dev/kvm; much slower.
    /// </summary>
    Emulated,
}
