namespace HyperNest.Kvm.Tests;

/// <summary>
/// The vCPU and VM state ioctls on this host's /dev/kvm, each read back and written again on a fresh vCPU. Skipped,
/// with the reason, where the host has no usable KVM.
/// </summary>
[Trait("Requires", "kvm")]
public sealed class KvmVcpuStateTests : IDisposable
{
    private const uint MsrIa32Tsc = 0x10;
    private const uint MsrIa32SysenterEip = 0x176;
    private const uint NoSuchMsr = 0xC0FF_EE00;

    private readonly KvmSystem? _kvm;
    private readonly KvmVm? _vm;
    private readonly KvmVcpu? _vcpu;

    public KvmVcpuStateTests()
    {
        if (!HostKvm.Usable)
        {
            return;
        }

        _kvm = KvmSystem.Open();
        _vm = _kvm.CreateVm();
        _vm.CreateIrqchip();
        _vcpu = _vm.CreateVcpu(0);
        _vcpu.SetCpuid(_kvm.GetSupportedCpuid());
    }

    private KvmVm Vm => _vm ?? throw new InvalidOperationException(HostKvm.WhyNot);

    private KvmVcpu Vcpu => _vcpu ?? throw new InvalidOperationException(HostKvm.WhyNot);

    [SkippableFact]
    public void The_Msr_Index_List_Includes_The_Tsc()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        Assert.Contains(MsrIa32Tsc, Vm.MsrIndexList);
    }

    [SkippableFact]
    public void An_Unreadable_Msr_Is_Skipped_And_The_Ones_After_It_Are_Still_Read()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        KvmMsrEntry[] read = Vcpu.GetReadableMsrs([MsrIa32Tsc, NoSuchMsr, MsrIa32SysenterEip], out uint[] unreadable);

        Assert.Equal([MsrIa32Tsc, MsrIa32SysenterEip], read.Select(m => m.Index));
        Assert.Equal([NoSuchMsr], unreadable);
    }

    [SkippableFact]
    public void Every_Listed_Msr_Is_Either_Read_Or_Reported_Unreadable_And_Those_Read_Can_Be_Set_Back()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        KvmMsrEntry[] read = Vcpu.GetReadableMsrs(Vm.MsrIndexList, out uint[] unreadable);

        Assert.Equal(Vm.MsrIndexList.Order(), read.Select(m => m.Index).Concat(unreadable).Order());
        Vcpu.SetMsrs(read);
    }

    [SkippableFact]
    public void The_Xsave_Image_Is_As_Large_As_The_Vm_Says_And_Goes_Back()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        byte[] image = Vcpu.GetXsave();

        Assert.True(Vm.XsaveSize >= KvmVm.LegacyXsaveSize);
        Assert.Equal(Vm.XsaveSize, image.Length);
        Vcpu.SetXsave(image);
        var refused = Assert.Throws<KvmException>(() => Vcpu.SetXsave(new byte[Vm.XsaveSize + 64]));
        Assert.Equal("KVM_SET_XSAVE", refused.Call);
    }

    [SkippableFact]
    public void Xcr0_Enables_X87_And_Goes_Back()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        KvmXcrs xcrs = Vcpu.GetXcrs();

        Assert.True(xcrs.Count >= 1);
        Assert.Equal(0u, xcrs.Xcrs[0].Xcr);
        Assert.Equal(1UL, xcrs.Xcrs[0].Value & 1);
        Vcpu.SetXcrs(xcrs);
    }

    [SkippableFact]
    public void Events_Debug_Registers_Mp_State_And_Tsc_Frequency_Go_Back()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        KvmVcpuEvents events = Vcpu.GetVcpuEvents();
        KvmDebugRegs debug = Vcpu.GetDebugRegisters();
        debug.Db[2] = 0x1234_5000;
        uint mpState = Vcpu.GetMpState();
        uint khz = Vcpu.GetTscKhz();

        Vcpu.SetVcpuEvents(events);
        Vcpu.SetDebugRegisters(debug);
        Vcpu.SetMpState(mpState);
        Vcpu.SetTscKhz(khz); // the same frequency needs no TSC scaling

        Assert.Equal(0x1234_5000UL, Vcpu.GetDebugRegisters().Db[2]);
        Assert.Equal(mpState, Vcpu.GetMpState());
        Assert.True(khz > 0);
    }

    [SkippableFact]
    public void The_Cpuid_Table_Read_Back_Is_The_One_Set()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        CpuidTable set = _kvm!.GetSupportedCpuid();

        Assert.Equal(set.Entries.Select(e => (e.Function, e.Index)), Vcpu.GetCpuid().Entries.Select(e => (e.Function, e.Index)));
    }

    /// <summary>Nested state where KVM offers it (KVM_CAP_NESTED_STATE &gt; 0); a refusal naming the ioctl where not.</summary>
    [SkippableFact]
    public void Nested_State_Is_Read_Where_The_Vm_Offers_It_And_Refused_By_Name_Where_Not()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        if (Vm.NestedStateMaxSize > 0)
        {
            byte[] state = Vcpu.GetNestedState();
            Assert.InRange(state.Length, KvmVcpu.NestedStateHeaderSize, Vm.NestedStateMaxSize);
            Vcpu.SetNestedState(state);
        }
        else
        {
            var refused = Assert.Throws<KvmException>(() => Vcpu.GetNestedState());
            Assert.Equal("KVM_GET_NESTED_STATE", refused.Call);
        }
    }

    [SkippableFact]
    public void Completing_Pending_Io_On_A_Vcpu_That_Never_Ran_Returns_Without_Running_It()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        Vcpu.CompletePendingIo();

        Assert.False(Vcpu.RunState.ImmediateExit);
    }

    public void Dispose()
    {
        _vcpu?.Dispose();
        _vm?.Dispose();
        _kvm?.Dispose();
    }
}
