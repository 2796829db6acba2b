using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// The vCPU state ioctls save/restore needs (api.rst §4). Like the rest of <see cref="KvmVcpu"/>, they belong to the
/// vCPU's thread or to a thread that knows the vCPU is not in KVM_RUN.
/// </summary>
public sealed unsafe partial class KvmVcpu
{
    /// <summary>sizeof(struct kvm_nested_state) without data: flags, format, size and the 120-byte header.</summary>
    public const int NestedStateHeaderSize = 128;

    /// <summary>KVM_GET_CPUID2 (api.rst §4.46 layout): the CPUID table this vCPU was given with KVM_SET_CPUID2.</summary>
    public CpuidTable GetCpuid() => KvmSystem.ReadCpuid(Fd, KvmIoctl.GetCpuid2, "KVM_GET_CPUID2");

    /// <summary>
    /// The XSAVE image (x87, SSE, AVX, ... in the host's CPUID leaf 0xD layout), <see cref="KvmVm.XsaveSize"/> bytes:
    /// KVM_GET_XSAVE2 where KVM_CAP_XSAVE2 exists, else KVM_GET_XSAVE (api.rst §4.42, §4.43).
    /// </summary>
    public byte[] GetXsave()
    {
        bool xsave2 = Vm.HasXsave2;
        byte[] image = new byte[xsave2 ? Vm.XsaveSize : KvmVm.LegacyXsaveSize];
        fixed (byte* buffer = image)
        {
            if (xsave2)
            {
                Call(KvmIoctl.GetXsave2, buffer, "KVM_GET_XSAVE2");
            }
            else
            {
                Call(KvmIoctl.GetXsave, buffer, "KVM_GET_XSAVE");
            }
        }

        return image;
    }

    /// <summary>
    /// KVM_SET_XSAVE. KVM copies <see cref="KvmVm.XsaveSize"/> bytes (api.rst §4.43), so a shorter image (at least
    /// 4096 bytes) is padded with zeros; a longer one cannot be given to this VM and is refused.
    /// </summary>
    public void SetXsave(ReadOnlySpan<byte> image)
    {
        int size = Vm.XsaveSize;
        if (image.Length < KvmVm.LegacyXsaveSize || image.Length > size)
        {
            throw new KvmException("KVM_SET_XSAVE", $"an XSAVE image of {image.Length} bytes does not fit this VM's {size}");
        }

        byte[] padded = new byte[size];
        image.CopyTo(padded);
        fixed (byte* buffer = padded)
        {
            Call(KvmIoctl.SetXsave, buffer, "KVM_SET_XSAVE");
        }
    }

    public KvmXcrs GetXcrs() => Get<KvmXcrs>(KvmIoctl.GetXcrs, "KVM_GET_XCRS");

    public void SetXcrs(in KvmXcrs xcrs) => Set(KvmIoctl.SetXcrs, xcrs, "KVM_SET_XCRS");

    public KvmVcpuEvents GetVcpuEvents() => Get<KvmVcpuEvents>(KvmIoctl.GetVcpuEvents, "KVM_GET_VCPU_EVENTS");

    public void SetVcpuEvents(in KvmVcpuEvents events) => Set(KvmIoctl.SetVcpuEvents, events, "KVM_SET_VCPU_EVENTS");

    /// <summary>KVM_SET_MP_STATE (api.rst §4.39): KVM_MP_STATE_RUNNABLE (0), UNINITIALIZED (1), HALTED (3), ...</summary>
    public void SetMpState(uint state) => Set(KvmIoctl.SetMpState, state, "KVM_SET_MP_STATE");

    public KvmDebugRegs GetDebugRegisters() => Get<KvmDebugRegs>(KvmIoctl.GetDebugRegs, "KVM_GET_DEBUGREGS");

    public void SetDebugRegisters(in KvmDebugRegs debug)
    {
        KvmDebugRegs copy = debug;
        copy.Flags = 0; // "unused yet and must be cleared on entry" (api.rst §4.34)
        Set(KvmIoctl.SetDebugRegs, copy, "KVM_SET_DEBUGREGS");
    }

    /// <summary>KVM_GET_TSC_KHZ (api.rst §4.56): the guest's TSC frequency in kHz; EIO when the host TSC is unstable.</summary>
    public uint GetTscKhz() => (uint)KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.GetTscKhz, 0), "KVM_GET_TSC_KHZ");

    /// <summary>KVM_SET_TSC_KHZ (api.rst §4.55; needs KVM_CAP_TSC_CONTROL).</summary>
    public void SetTscKhz(uint khz) => KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.SetTscKhz, khz), "KVM_SET_TSC_KHZ");

    /// <summary>
    /// Reads every MSR of <paramref name="indices"/> that KVM will read. KVM_GET_MSRS stops at the first MSR it
    /// cannot read and returns how many it read (api.rst §4.18), so the read resumes after each such MSR; those
    /// land in <paramref name="unreadable"/> and the rest keep their order.
    /// </summary>
    public KvmMsrEntry[] GetReadableMsrs(IReadOnlyList<uint> indices, out uint[] unreadable)
    {
        var read = new List<KvmMsrEntry>(indices.Count);
        var skipped = new List<uint>();
        int next = 0;
        while (next < indices.Count)
        {
            var batch = new KvmMsrEntry[indices.Count - next];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = new KvmMsrEntry(indices[next + i], 0);
            }

            int count = GetMsrs(batch);
            read.AddRange(batch.AsSpan(0, count));
            if (count < batch.Length)
            {
                skipped.Add(batch[count].Index);
            }

            next += count + 1;
        }

        unreadable = [.. skipped];
        return [.. read];
    }

    /// <summary>
    /// KVM_GET_NESTED_STATE (api.rst §4.114): the whole struct kvm_nested_state, header and data, as many bytes as
    /// its size field says. Needs <see cref="KvmVm.NestedStateMaxSize"/> &gt; 0.
    /// </summary>
    public byte[] GetNestedState()
    {
        int max = Vm.NestedStateMaxSize;
        if (max < NestedStateHeaderSize)
        {
            throw new KvmException("KVM_GET_NESTED_STATE", "this KVM cannot save nested state (KVM_CAP_NESTED_STATE is 0)");
        }

        byte[] state = new byte[max];
        fixed (byte* buffer = state)
        {
            *(uint*)(buffer + 4) = (uint)max;
            Call(KvmIoctl.GetNestedState, buffer, "KVM_GET_NESTED_STATE");
            int size = (int)*(uint*)(buffer + 4);
            return size >= NestedStateHeaderSize && size <= max
                ? state.AsSpan(0, size).ToArray()
                : throw new KvmException("KVM_GET_NESTED_STATE", $"KVM reported {size} bytes of nested state, outside 128..{max}");
        }
    }

    /// <summary>KVM_SET_NESTED_STATE (api.rst §4.115): a struct kvm_nested_state whose size field is its length.</summary>
    public void SetNestedState(ReadOnlySpan<byte> state)
    {
        if (state.Length < NestedStateHeaderSize || MemoryMarshal.Read<uint>(state[4..]) != (uint)state.Length)
        {
            throw new KvmException("KVM_SET_NESTED_STATE", $"{state.Length} bytes are not a kvm_nested_state of that size");
        }

        fixed (byte* buffer = state)
        {
            Call(KvmIoctl.SetNestedState, buffer, "KVM_SET_NESTED_STATE");
        }
    }

    /// <summary>
    /// Finishes an instruction left half-done by the last exit (PIO or MMIO in: the data is stored into the guest's
    /// register and RIP advanced only on the next KVM_RUN) without running the guest: KVM_RUN with immediate_exit set
    /// "completes pending operations without allowing any further instructions to be executed" and returns EINTR
    /// (api.rst §5, the note after KVM_EXIT_MMIO). Then immediate_exit is cleared. Call on the vCPU's thread.
    /// </summary>
    public void CompletePendingIo()
    {
        RunState.ImmediateExit = true;
        try
        {
            if (Interop.Ioctl(Fd, KvmIoctl.Run, 0) == 0)
            {
                throw new KvmException("KVM_RUN", "immediate_exit was ignored and the guest ran (KVM_CAP_IMMEDIATE_EXIT missing?)");
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new KvmException("KVM_RUN", errno);
            }
        }
        finally
        {
            RunState.ImmediateExit = false;
        }
    }
}
