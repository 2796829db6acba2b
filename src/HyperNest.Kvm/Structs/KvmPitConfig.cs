using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_pit_config (api.rst §4.71).</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct KvmPitConfig
{
    /// <summary>KVM_PIT_SPEAKER_DUMMY: port 0x61 is handled in the kernel too.</summary>
    public const uint SpeakerDummy = 1;

    public uint Flags;
}
