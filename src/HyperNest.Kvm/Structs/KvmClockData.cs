using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_clock_data: the guest's kvmclock.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmClockData
{
    public ulong Clock;
    public uint Flags;
    private readonly uint _padding0;
    public ulong Realtime;
    public ulong HostTsc;
    private readonly uint _padding1, _padding2, _padding3, _padding4;
}
