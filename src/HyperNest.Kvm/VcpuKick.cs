using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// Getting a vCPU thread out of KVM_RUN promptly, with no signal handler (managed code must not run in one):
/// the kick signal is blocked on the vCPU thread and unblocked only inside KVM_RUN (KVM_SET_SIGNAL_MASK,
/// api.rst §4.18). A kick that lands in the guest makes KVM_RUN return EINTR; one that lands outside stays pending
/// and makes the next KVM_RUN return EINTR at once, so no kick is lost. The pending signal is then consumed with
/// sigtimedwait. <see cref="KvmRun.ImmediateExit"/> is set as well, for kernels that check it first.
/// </summary>
public static unsafe class VcpuKick
{
    /// <summary>SIGRTMIN+6 in glibc's numbering (SIGRTMIN is 34); the .NET runtime uses SIGRTMIN itself.</summary>
    public const int Signal = 40;

    /// <summary>Blocks the kick signal on the calling thread and returns the thread's id for <see cref="Kick"/>.</summary>
    public static int PrepareCurrentThread(KvmVcpu vcpu)
    {
        byte* set = stackalloc byte[Interop.GlibcSigsetBytes];
        byte* old = stackalloc byte[Interop.GlibcSigsetBytes];
        FillKickSet(set);
        if (Interop.PthreadSigmask(Interop.SIG_BLOCK, set, old) != 0)
        {
            throw new KvmException("pthread_sigmask", "cannot block the vCPU kick signal");
        }

        // Inside KVM_RUN the thread runs with its previous mask, in which the kick signal is open.
        ulong kernelMask = *(ulong*)old & ~(1UL << (Signal - 1));
        vcpu.SetSignalMask(kernelMask);
        return Interop.GetTid();
    }

    /// <summary>Interrupts KVM_RUN on the given vCPU thread.</summary>
    public static void Kick(KvmVcpu vcpu, int threadId)
    {
        vcpu.RunState.ImmediateExit = true;
        if (Interop.TgKill(Interop.GetPid(), threadId, Signal) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // ESRCH: the thread has already exited; nothing to interrupt.
            if (errno != 3)
            {
                throw new KvmException("tgkill", errno);
            }
        }
    }

    /// <summary>On the vCPU thread, after KVM_RUN returned EINTR: swallow the pending kick and clear immediate_exit.</summary>
    public static void Acknowledge(KvmVcpu vcpu)
    {
        vcpu.RunState.ImmediateExit = false;
        byte* set = stackalloc byte[Interop.GlibcSigsetBytes];
        FillKickSet(set);
        var zero = new Interop.Timespec();
        while (Interop.SigTimedWait(set, null, &zero) == Signal)
        {
        }
    }

    private static void FillKickSet(byte* set)
    {
        new Span<byte>(set, Interop.GlibcSigsetBytes).Clear();
        int bit = Signal - 1;
        set[bit / 8] |= (byte)(1 << (bit % 8));
    }
}
