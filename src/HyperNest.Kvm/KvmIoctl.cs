namespace HyperNest.Kvm;

/// <summary>
/// KVM ioctl request numbers for x86-64, from include/uapi/linux/kvm.h: _IO/_IOR/_IOW/_IOWR(KVMIO=0xAE, nr, type).
/// The size field is the struct size, so each number is derived here from the struct it carries.
/// </summary>
internal static class KvmIoctl
{
    private const uint Kvmio = 0xAE;

    private static nuint Io(uint nr) => (Kvmio << 8) | nr;
    private static nuint Ior(uint nr, int size) => (2u << 30) | ((uint)size << 16) | (Kvmio << 8) | nr;
    private static nuint Iow(uint nr, int size) => (1u << 30) | ((uint)size << 16) | (Kvmio << 8) | nr;
    private static nuint Iowr(uint nr, int size) => (3u << 30) | ((uint)size << 16) | (Kvmio << 8) | nr;

    // System ioctls (api.rst §4.1 ff.)
    public static readonly nuint GetApiVersion = Io(0x00);
    public static readonly nuint CreateVm = Io(0x01);
    public static readonly nuint GetMsrIndexList = Iowr(0x02, 4);
    public static readonly nuint CheckExtension = Io(0x03);
    public static readonly nuint GetVcpuMmapSize = Io(0x04);
    public static readonly nuint GetSupportedCpuid = Iowr(0x05, 8);

    // VM ioctls
    public static readonly nuint CreateVcpu = Io(0x41);
    public static readonly nuint GetDirtyLog = Iow(0x42, 16);
    public static readonly nuint SetUserMemoryRegion = Iow(0x46, 32);
    public static readonly nuint SetTssAddr = Io(0x47);
    public static readonly nuint SetIdentityMapAddr = Iow(0x48, 8);
    public static readonly nuint CreateIrqchip = Io(0x60);
    public static readonly nuint IrqLine = Iow(0x61, 8);
    public static readonly nuint GetIrqchip = Iowr(0x62, 520);
    public static readonly nuint SetIrqchip = Ior(0x63, 520);
    public static readonly nuint Irqfd = Iow(0x76, 32);
    public static readonly nuint CreatePit2 = Iow(0x77, 64);
    public static readonly nuint Ioeventfd = Iow(0x79, 64);
    public static readonly nuint SetClock = Iow(0x7b, 48);
    public static readonly nuint GetClock = Ior(0x7c, 48);
    public static readonly nuint GetPit2 = Ior(0x9f, 112);
    public static readonly nuint SetPit2 = Iow(0xa0, 112);

    // vCPU ioctls
    public static readonly nuint Run = Io(0x80);
    public static readonly nuint GetRegs = Ior(0x81, 144);
    public static readonly nuint SetRegs = Iow(0x82, 144);
    public static readonly nuint GetSregs = Ior(0x83, 312);
    public static readonly nuint SetSregs = Iow(0x84, 312);
    public static readonly nuint GetMsrs = Iowr(0x88, 8);
    public static readonly nuint SetMsrs = Iow(0x89, 8);
    public static readonly nuint SetSignalMask = Iow(0x8b, 4);
    public static readonly nuint GetFpu = Ior(0x8c, 416);
    public static readonly nuint SetFpu = Iow(0x8d, 416);
    public static readonly nuint GetLapic = Ior(0x8e, 1024);
    public static readonly nuint SetLapic = Iow(0x8f, 1024);
    public static readonly nuint SetCpuid2 = Iow(0x90, 8);
    public static readonly nuint GetCpuid2 = Iowr(0x91, 8);
    public static readonly nuint GetMpState = Ior(0x98, 4);
    public static readonly nuint SetMpState = Iow(0x99, 4);

    // vCPU state (KvmVcpu.State.cs): the size field is that of the struct named.
    public static readonly nuint GetVcpuEvents = Ior(0x9f, 64);        // kvm_vcpu_events
    public static readonly nuint SetVcpuEvents = Iow(0xa0, 64);
    public static readonly nuint GetDebugRegs = Ior(0xa1, 128);        // kvm_debugregs
    public static readonly nuint SetDebugRegs = Iow(0xa2, 128);
    public static readonly nuint SetTscKhz = Io(0xa2);
    public static readonly nuint GetTscKhz = Io(0xa3);
    public static readonly nuint GetXsave = Ior(0xa4, 4096);           // kvm_xsave (its fixed 4 KiB region)
    public static readonly nuint SetXsave = Iow(0xa5, 4096);
    public static readonly nuint GetXcrs = Ior(0xa6, 392);             // kvm_xcrs
    public static readonly nuint SetXcrs = Iow(0xa7, 392);
    public static readonly nuint GetNestedState = Iowr(0xbe, 128);     // kvm_nested_state (its header)
    public static readonly nuint SetNestedState = Iow(0xbf, 128);
    public static readonly nuint GetXsave2 = Ior(0xcf, 4096);          // kvm_xsave
}
