namespace HyperNest.Kvm;

/// <summary>KVM_CAP_* numbers (include/uapi/linux/kvm.h) that HyperNest asks about.</summary>
public enum KvmCapability
{
    Irqchip = 0,
    Hlt = 1,
    UserMemory = 3,
    SetTssAddr = 4,
    ExtCpuid = 7,
    NrVcpus = 9,
    NrMemslots = 10,
    Pit = 11,
    Iommu = 18,
    SetIdentityMapAddr = 37,
    Irqfd = 32,
    Pit2 = 33,
    SetBootCpuId = 34,
    Ioeventfd = 36,
    AdjustClock = 39,
    VcpuEvents = 41,
    PitState2 = 35,
    Xsave = 55,
    Xcrs = 56,
    MaxVcpus = 66,
    ImmediateExit = 136,
    NestedState = 157,
    MaxVcpuId = 128,
}
