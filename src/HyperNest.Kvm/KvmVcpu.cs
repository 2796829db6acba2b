using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>A virtual CPU (api.rst §4, "vcpu ioctls"). KVM_RUN and register access belong to one thread.</summary>
public sealed unsafe partial class KvmVcpu : IDisposable
{
    private readonly FileDescriptorHandle _fd;
    private readonly nint _runMapping;
    private readonly int _runSize;

    internal KvmVcpu(FileDescriptorHandle fd, uint id, int mmapSize, KvmVm vm)
    {
        _fd = fd;
        Id = id;
        Vm = vm;
        _runSize = mmapSize;
        _runMapping = Interop.Mmap(0, (nuint)mmapSize, Interop.PROT_READ | Interop.PROT_WRITE, Interop.MAP_SHARED, fd.Fd, 0);
        if (_runMapping == Interop.MAP_FAILED)
        {
            fd.Dispose();
            throw KvmException.FromLastError("mmap kvm_run");
        }

        RunState = new KvmRun(_runMapping, mmapSize);
    }

    public uint Id { get; }

    /// <summary>The VM this vCPU belongs to (its capabilities size the XSAVE and nested-state buffers).</summary>
    public KvmVm Vm { get; }

    public KvmRun RunState { get; }

    /// <summary>
    /// Enters the guest until the next exit. Returns false when KVM_RUN was interrupted (a kick, or a signal for
    /// the runtime): the caller checks its own state and calls again.
    /// </summary>
    public bool Run()
    {
        if (Interop.Ioctl(Fd, KvmIoctl.Run, 0) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is Errno.EINTR or Errno.EAGAIN)
        {
            return false;
        }

        throw new KvmException("KVM_RUN", errno);
    }

    public KvmRegs GetRegisters() => Get<KvmRegs>(KvmIoctl.GetRegs, "KVM_GET_REGS");

    public void SetRegisters(in KvmRegs regs) => Set(KvmIoctl.SetRegs, regs, "KVM_SET_REGS");

    public KvmSregs GetSpecialRegisters() => Get<KvmSregs>(KvmIoctl.GetSregs, "KVM_GET_SREGS");

    public void SetSpecialRegisters(in KvmSregs sregs) => Set(KvmIoctl.SetSregs, sregs, "KVM_SET_SREGS");

    public KvmFpu GetFpu() => Get<KvmFpu>(KvmIoctl.GetFpu, "KVM_GET_FPU");

    public void SetFpu(in KvmFpu fpu) => Set(KvmIoctl.SetFpu, fpu, "KVM_SET_FPU");

    public KvmLapicState GetLapic() => Get<KvmLapicState>(KvmIoctl.GetLapic, "KVM_GET_LAPIC");

    public void SetLapic(in KvmLapicState lapic) => Set(KvmIoctl.SetLapic, lapic, "KVM_SET_LAPIC");

    /// <summary>KVM_SET_MSRS; every entry must be accepted, otherwise throws naming the first refused MSR.</summary>
    public void SetMsrs(ReadOnlySpan<KvmMsrEntry> entries)
    {
        int bytes = 8 + (entries.Length * sizeof(KvmMsrEntry));
        byte* buffer = stackalloc byte[bytes];
        *(uint*)buffer = (uint)entries.Length;
        *(uint*)(buffer + 4) = 0;
        entries.CopyTo(new Span<KvmMsrEntry>(buffer + 8, entries.Length));
        int written = KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.SetMsrs, buffer), "KVM_SET_MSRS");
        if (written != entries.Length)
        {
            throw new KvmException("KVM_SET_MSRS", $"MSR 0x{entries[written].Index:x} was refused");
        }
    }

    /// <summary>KVM_GET_MSRS: fills each entry's Data; returns how many were read.</summary>
    public int GetMsrs(Span<KvmMsrEntry> entries)
    {
        int bytes = 8 + (entries.Length * sizeof(KvmMsrEntry));
        byte* buffer = stackalloc byte[bytes];
        *(uint*)buffer = (uint)entries.Length;
        *(uint*)(buffer + 4) = 0;
        entries.CopyTo(new Span<KvmMsrEntry>(buffer + 8, entries.Length));
        int read = KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.GetMsrs, buffer), "KVM_GET_MSRS");
        new ReadOnlySpan<KvmMsrEntry>(buffer + 8, entries.Length).CopyTo(entries);
        return read;
    }

    public void SetCpuid(CpuidTable table)
    {
        int count = table.Count;
        int bytes = 8 + (count * sizeof(KvmCpuidEntry2));
        byte* buffer = (byte*)NativeMemory.AllocZeroed((nuint)bytes);
        try
        {
            *(uint*)buffer = (uint)count;
            var entries = new Span<KvmCpuidEntry2>(buffer + 8, count);
            for (int i = 0; i < count; i++)
            {
                entries[i] = table.Entries[i];
            }

            KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.SetCpuid2, buffer), "KVM_SET_CPUID2");
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    public uint GetMpState() => Get<uint>(KvmIoctl.GetMpState, "KVM_GET_MP_STATE");

    /// <summary>KVM_SET_SIGNAL_MASK: the signal mask in force while this vCPU is in KVM_RUN (kernel sigset, 64 bits).</summary>
    public void SetSignalMask(ulong mask)
    {
        byte* buffer = stackalloc byte[12];
        *(uint*)buffer = 8;
        *(ulong*)(buffer + 4) = mask;
        Call(KvmIoctl.SetSignalMask, buffer, "KVM_SET_SIGNAL_MASK");
    }

    public void Dispose()
    {
        if (!_fd.IsClosed)
        {
            _ = Interop.Munmap(_runMapping, (nuint)_runSize);
            _fd.Dispose();
        }
    }

    private int Fd
    {
        get
        {
            ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
            return _fd.Fd;
        }
    }

    private void Call(nuint request, void* argument, string name) => KvmSystem.Check(Interop.Ioctl(Fd, request, argument), name);

    /// <summary>An ioctl that fills a struct of its own size.</summary>
    private T Get<T>(nuint request, string name)
        where T : unmanaged
    {
        T value = default;
        Call(request, &value, name);
        return value;
    }

    /// <summary>An ioctl that takes a struct of its own size.</summary>
    private void Set<T>(nuint request, T value, string name)
        where T : unmanaged => Call(request, &value, name);
}
