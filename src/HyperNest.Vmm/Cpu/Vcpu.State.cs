using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>Save and restore of everything KVM holds for this vCPU (<see cref="VcpuState"/>).</summary>
public sealed partial class Vcpu
{
    /// <summary>IA32_TSC_DEADLINE: restored on its own, after the LAPIC (see <see cref="WriteState"/>).</summary>
    private const uint MsrTscDeadline = 0x6E0;

    /// <summary>
    /// Reads the vCPU's state. Only while it is <see cref="VcpuRunState.Paused"/> (pausing completed any I/O the last
    /// exit left pending, so the registers are those after the instruction) or not yet started; otherwise throws
    /// <see cref="InvalidOperationException"/>. A KVM call that fails throws <see cref="KvmException"/> naming it.
    /// </summary>
    public VcpuState Save()
    {
        lock (_lock)
        {
            if (_state is not (VcpuRunState.Paused or VcpuRunState.Created))
            {
                throw new InvalidOperationException($"vCPU {Id} is {_state}: its state can be saved only while it is paused or not yet started");
            }

            // Holding the lock keeps a paused vCPU parked (Resume waits for it) until the state is read.
            return ReadState();
        }
    }

    /// <summary>
    /// Puts a saved state into this vCPU, which must be created and not yet started (throws
    /// <see cref="InvalidOperationException"/> otherwise). The state is checked first against this vCPU and its VM
    /// (<see cref="VcpuState.EnsureRestorable"/>): an impossible one is refused with an
    /// <see cref="InvalidDataException"/> naming the field before KVM is touched.
    /// </summary>
    public void Restore(VcpuState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            if (_state != VcpuRunState.Created || _thread is not null)
            {
                throw new InvalidOperationException($"vCPU {Id} is {_state}: a state can be restored only before it starts");
            }

            state.EnsureRestorable(Id, _kvm.Vm.XsaveSize, _kvm.Vm.NestedStateMaxSize);
            WriteState(state);
        }
    }

    private VcpuState ReadState()
    {
        // KVM_GET_MP_STATE first: it lets the LAPIC accept a pending INIT or SIPI (kvm_apic_accept_events in
        // KVM's x86.c), which can reset the registers; everything read after it agrees with the MP state.
        uint mpState = _kvm.GetMpState();
        CpuidTable cpuid = _kvm.GetCpuid();
        KvmMsrEntry[] msrs = _kvm.GetReadableMsrs(_kvm.Vm.MsrIndexList, out uint[] unreadable);
        KvmLapicState lapic = _kvm.GetLapic();
        KvmVcpuEvents events = _kvm.GetVcpuEvents();
        KvmXcrs xcrs = _kvm.GetXcrs();
        bool nested = _kvm.Vm.NestedStateMaxSize > 0 && CpuidPolicy.OffersVirtualizationExtensions(cpuid);
        return new VcpuState
        {
            VcpuId = Id,
            Cpuid = [.. cpuid.Entries.Select(CpuidLeaf.From)],
            Registers = GeneralRegisters.From(_kvm.GetRegisters()),
            SpecialRegisters = SpecialRegisters.From(_kvm.GetSpecialRegisters()),
            Xsave = _kvm.GetXsave(),
            Xcrs = [.. ((ReadOnlySpan<KvmXcr>)xcrs.Xcrs)[..(int)Math.Min(xcrs.Count, KvmXcrs.MaxXcrs)].ToArray().Select(x => new XcrValue(x.Xcr, x.Value))],
            Msrs = [.. msrs.Select(MsrValue.From)],
            UnreadableMsrs = unreadable,
            Lapic = ((ReadOnlySpan<byte>)lapic.Regs).ToArray(),
            VcpuEvents = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref events, 1)).ToArray(),
            MpState = mpState,
            DebugRegisters = DebugRegisters.From(_kvm.GetDebugRegisters()),
            TscKhz = ReadTscKhz(),
            NestedState = nested ? _kvm.GetNestedState() : null,
        };
    }

    /// <summary>
    /// The order of the KVM_SET_* calls. api.rst states some of it; the rest follows from checks KVM makes against
    /// state set earlier (named below as KVM's x86 code does them):
    /// <list type="number">
    /// <item>KVM_SET_CPUID2 first: KVM checks CR4, EFER, MSR and XSAVE values against the guest's CPUID, and api.rst
    /// §4.20 warns against changing CPUID once the vCPU has run.</item>
    /// <item>KVM_SET_TSC_KHZ (only if the frequency differs; api.rst §4.55) before the MSRs, since KVM turns the
    /// IA32_TSC write into an offset at the vCPU's frequency.</item>
    /// <item>KVM_SET_SREGS before the LAPIC (api.rst §4.57: the LAPIC's format follows the APIC base, which sregs
    /// carries) and before nested state (SVM refuses guest-mode nested state while EFER.SVME is clear).</item>
    /// <item>KVM_SET_MSRS, all saved MSRs but IA32_TSC_DEADLINE; KVM sets them in order and stops at the first it
    /// refuses (api.rst §4.19), which fails the restore naming that MSR.</item>
    /// <item>KVM_SET_XCRS then KVM_SET_XSAVE: XCR0 before the image whose components it enables.</item>
    /// <item>KVM_SET_REGS.</item>
    /// <item>KVM_SET_LAPIC (after sregs, above).</item>
    /// <item>IA32_TSC_DEADLINE after the LAPIC and IA32_TSC: KVM ignores a deadline written while the LVT timer is not
    /// in TSC-deadline mode.</item>
    /// <item>KVM_SET_VCPU_EVENTS after KVM_SET_REGS, which drops a pending exception, with NMI_PENDING and
    /// SIPI_VECTOR added to the flags so those fields are transferred too (api.rst §4.32).</item>
    /// <item>KVM_SET_MP_STATE after the events: KVM refuses INIT_RECEIVED/SIPI_RECEIVED while an INIT is latched (SMM,
    /// in the events), and a SIPI takes its vector from them (api.rst §4.38).</item>
    /// <item>KVM_SET_DEBUGREGS.</item>
    /// <item>KVM_SET_NESTED_STATE last (api.rst §4.115): it is checked against EFER/CR4 (sregs), the VMX capability
    /// MSRs and the registers of the current (L2) state.</item>
    /// </list>
    /// </summary>
    private void WriteState(VcpuState state)
    {
        _kvm.SetCpuid(new CpuidTable(state.Cpuid.Select(leaf => leaf.ToKvm())));
        RestoreTscKhz(state.TscKhz);
        _kvm.SetSpecialRegisters(state.SpecialRegisters.ToKvm());
        KvmMsrEntry[] msrs = [.. state.Msrs.Select(m => m.ToKvm())];
        _kvm.SetMsrs([.. msrs.Where(m => m.Index != MsrTscDeadline)]);
        _kvm.SetXcrs(ToKvmXcrs(state.Xcrs));
        _kvm.SetXsave(state.Xsave);
        _kvm.SetRegisters(state.Registers.ToKvm());
        var lapic = new KvmLapicState();
        state.Lapic.CopyTo((Span<byte>)lapic.Regs);
        _kvm.SetLapic(lapic);
        _kvm.SetMsrs([.. msrs.Where(m => m.Index == MsrTscDeadline)]);
        KvmVcpuEvents events = MemoryMarshal.Read<KvmVcpuEvents>(state.VcpuEvents);
        events.Flags |= KvmVcpuEvents.ValidNmiPending | KvmVcpuEvents.ValidSipiVector;
        _kvm.SetVcpuEvents(events);
        _kvm.SetMpState(state.MpState);
        _kvm.SetDebugRegisters(state.DebugRegisters.ToKvm());
        if (state.NestedState is { } nested)
        {
            _kvm.SetNestedState(nested);
        }
    }

    /// <summary>KVM_GET_TSC_KHZ fails with EIO when the host TSC is unstable (api.rst §4.56): recorded as 0.</summary>
    private uint ReadTscKhz()
    {
        try
        {
            return _kvm.GetTscKhz();
        }
        catch (KvmException e) when (e.Errno == Errno.EIO)
        {
            return 0;
        }
    }

    /// <summary>Sets the saved frequency where it differs from this host's; KVM refuses it without TSC scaling.</summary>
    private void RestoreTscKhz(uint khz)
    {
        if (khz != 0 && ReadTscKhz() != khz)
        {
            _kvm.SetTscKhz(khz);
        }
    }

    private static KvmXcrs ToKvmXcrs(XcrValue[] values)
    {
        var xcrs = new KvmXcrs { Count = (uint)values.Length };
        for (int i = 0; i < values.Length; i++)
        {
            xcrs.Xcrs[i] = new KvmXcr(values[i].Xcr, values[i].Value);
        }

        return xcrs;
    }
}
