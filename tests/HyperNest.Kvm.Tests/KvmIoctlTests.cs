namespace HyperNest.Kvm.Tests;

public sealed class KvmIoctlTests
{
    /// <summary>The request numbers as Linux's include/uapi/linux/kvm.h evaluates them on x86-64.</summary>
    public static TheoryData<string, ulong, ulong> LinuxNumbers => new()
    {
        { "KVM_GET_API_VERSION", KvmIoctl.GetApiVersion, 0xAE00 },
        { "KVM_CREATE_VM", KvmIoctl.CreateVm, 0xAE01 },
        { "KVM_GET_MSR_INDEX_LIST", KvmIoctl.GetMsrIndexList, 0xC004AE02 },
        { "KVM_CHECK_EXTENSION", KvmIoctl.CheckExtension, 0xAE03 },
        { "KVM_GET_VCPU_MMAP_SIZE", KvmIoctl.GetVcpuMmapSize, 0xAE04 },
        { "KVM_GET_SUPPORTED_CPUID", KvmIoctl.GetSupportedCpuid, 0xC008AE05 },
        { "KVM_CREATE_VCPU", KvmIoctl.CreateVcpu, 0xAE41 },
        { "KVM_GET_DIRTY_LOG", KvmIoctl.GetDirtyLog, 0x4010AE42 },
        { "KVM_SET_USER_MEMORY_REGION", KvmIoctl.SetUserMemoryRegion, 0x4020AE46 },
        { "KVM_SET_TSS_ADDR", KvmIoctl.SetTssAddr, 0xAE47 },
        { "KVM_SET_IDENTITY_MAP_ADDR", KvmIoctl.SetIdentityMapAddr, 0x4008AE48 },
        { "KVM_CREATE_IRQCHIP", KvmIoctl.CreateIrqchip, 0xAE60 },
        { "KVM_IRQ_LINE", KvmIoctl.IrqLine, 0x4008AE61 },
        { "KVM_GET_IRQCHIP", KvmIoctl.GetIrqchip, 0xC208AE62 },
        { "KVM_SET_IRQCHIP", KvmIoctl.SetIrqchip, 0x8208AE63 }, // _IOR in kvm.h, whatever the direction
        { "KVM_IRQFD", KvmIoctl.Irqfd, 0x4020AE76 },
        { "KVM_CREATE_PIT2", KvmIoctl.CreatePit2, 0x4040AE77 },
        { "KVM_IOEVENTFD", KvmIoctl.Ioeventfd, 0x4040AE79 },
        { "KVM_SET_CLOCK", KvmIoctl.SetClock, 0x4030AE7B },
        { "KVM_GET_CLOCK", KvmIoctl.GetClock, 0x8030AE7C },
        { "KVM_GET_PIT2", KvmIoctl.GetPit2, 0x8070AE9F },
        { "KVM_SET_PIT2", KvmIoctl.SetPit2, 0x4070AEA0 },
        { "KVM_RUN", KvmIoctl.Run, 0xAE80 },
        { "KVM_GET_REGS", KvmIoctl.GetRegs, 0x8090AE81 },
        { "KVM_SET_REGS", KvmIoctl.SetRegs, 0x4090AE82 },
        { "KVM_GET_SREGS", KvmIoctl.GetSregs, 0x8138AE83 },
        { "KVM_SET_SREGS", KvmIoctl.SetSregs, 0x4138AE84 },
        { "KVM_GET_MSRS", KvmIoctl.GetMsrs, 0xC008AE88 },
        { "KVM_SET_MSRS", KvmIoctl.SetMsrs, 0x4008AE89 },
        { "KVM_SET_SIGNAL_MASK", KvmIoctl.SetSignalMask, 0x4004AE8B },
        { "KVM_GET_FPU", KvmIoctl.GetFpu, 0x81A0AE8C },
        { "KVM_SET_FPU", KvmIoctl.SetFpu, 0x41A0AE8D },
        { "KVM_GET_LAPIC", KvmIoctl.GetLapic, 0x8400AE8E },
        { "KVM_SET_LAPIC", KvmIoctl.SetLapic, 0x4400AE8F },
        { "KVM_SET_CPUID2", KvmIoctl.SetCpuid2, 0x4008AE90 },
        { "KVM_GET_CPUID2", KvmIoctl.GetCpuid2, 0xC008AE91 },
        { "KVM_GET_MP_STATE", KvmIoctl.GetMpState, 0x8004AE98 },
        { "KVM_SET_MP_STATE", KvmIoctl.SetMpState, 0x4004AE99 },
        { "KVM_GET_VCPU_EVENTS", KvmIoctl.GetVcpuEvents, 0x8040AE9F },
        { "KVM_SET_VCPU_EVENTS", KvmIoctl.SetVcpuEvents, 0x4040AEA0 },
        { "KVM_GET_DEBUGREGS", KvmIoctl.GetDebugRegs, 0x8080AEA1 },
        { "KVM_SET_DEBUGREGS", KvmIoctl.SetDebugRegs, 0x4080AEA2 },
        { "KVM_SET_TSC_KHZ", KvmIoctl.SetTscKhz, 0xAEA2 },
        { "KVM_GET_TSC_KHZ", KvmIoctl.GetTscKhz, 0xAEA3 },
        { "KVM_GET_XSAVE", KvmIoctl.GetXsave, 0x9000AEA4 },
        { "KVM_SET_XSAVE", KvmIoctl.SetXsave, 0x5000AEA5 },
        { "KVM_GET_XCRS", KvmIoctl.GetXcrs, 0x8188AEA6 },
        { "KVM_SET_XCRS", KvmIoctl.SetXcrs, 0x4188AEA7 },
        { "KVM_GET_NESTED_STATE", KvmIoctl.GetNestedState, 0xC080AEBE },
        { "KVM_SET_NESTED_STATE", KvmIoctl.SetNestedState, 0x4080AEBF },
        { "KVM_GET_XSAVE2", KvmIoctl.GetXsave2, 0x9000AECF },
    };

    [Theory]
    [MemberData(nameof(LinuxNumbers))]
    public void Request_Numbers_Equal_Linux(string name, ulong actual, ulong linux)
    {
        Assert.True(linux == actual, $"{name} is 0x{actual:X}, Linux says 0x{linux:X}");
    }

    [Fact]
    public void Every_Request_Number_Is_Checked_Against_Linux()
    {
        int fields = typeof(KvmIoctl).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).Length;

        Assert.Equal(fields, LinuxNumbers.Count);
    }
}
