using HyperNest.Kvm;
using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Cpu;

/// <summary>The initial state of vCPUs: the boot vCPU enters the kernel in long mode; the others wait for INIT/SIPI.</summary>
public static class VcpuSetup
{
    // Local APIC register offsets and LVT delivery modes (Intel SDM vol. 3A §10.5.1).
    private const int ApicLvtLint0 = 0x350;
    private const int ApicLvtLint1 = 0x360;
    private const uint DeliveryModeExtInt = 0x7 << 8;
    private const uint DeliveryModeNmi = 0x4 << 8;
    private const uint DeliveryModeMask = 0x7 << 8;

    /// <summary>LINT0 receives the PIC (ExtINT), LINT1 NMIs, as a PC firmware leaves them (MP spec §3.6.1).</summary>
    public static void ConfigureLapic(KvmVcpu vcpu)
    {
        KvmLapicState lapic = vcpu.GetLapic();
        lapic.SetRegister(ApicLvtLint0, (lapic.GetRegister(ApicLvtLint0) & ~DeliveryModeMask) | DeliveryModeExtInt);
        lapic.SetRegister(ApicLvtLint1, (lapic.GetRegister(ApicLvtLint1) & ~DeliveryModeMask) | DeliveryModeNmi);
        vcpu.SetLapic(lapic);
    }

    public static void EnterLongMode(KvmVcpu vcpu, LinuxBootInfo boot)
    {
        KvmSregs sregs = vcpu.GetSpecialRegisters();
        LongMode.Apply(ref sregs);
        vcpu.SetSpecialRegisters(sregs);
        vcpu.SetRegisters(LongMode.EntryRegisters(boot.EntryPoint, boot.ZeroPage));

        KvmFpu fpu = default;
        fpu.Fcw = 0x37F;    // x87 default control word (FNINIT)
        fpu.Mxcsr = 0x1F80; // SSE default: all exceptions masked
        vcpu.SetFpu(fpu);
    }
}
