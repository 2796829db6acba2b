using HyperNest.Kvm;
using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Cpu;

/// <summary>
/// One vCPU on its own OS thread: KVM_RUN in a loop, exits dispatched to the PIO and MMIO buses. An explicit state
/// machine (Created → Running ⇄ Paused → Exited); Pause and Stop kick the thread out of KVM_RUN
/// (<see cref="VcpuKick"/>) so they take effect promptly even while the guest spins.
/// </summary>
public sealed partial class Vcpu : IDisposable
{
    // KVM_SYSTEM_EVENT_* (api.rst §5, "system_event").
    private const uint SystemEventShutdown = 1;
    private const uint SystemEventReset = 2;
    private const uint SystemEventCrash = 3;

    private readonly KvmVcpu _kvm;
    private readonly Bus _pio;
    private readonly Bus _mmio;
    private readonly IVcpuExitSink _sink;
    private readonly object _lock = new();
    private Thread? _thread;
    private int _threadId;
    private VcpuRunState _state = VcpuRunState.Created;
    private VcpuRunState _requested = VcpuRunState.Running;
    private long _exitCount;

    public Vcpu(KvmVcpu kvm, Bus pio, Bus mmio, IVcpuExitSink sink)
    {
        _kvm = kvm;
        _pio = pio;
        _mmio = mmio;
        _sink = sink;
    }

    public uint Id => _kvm.Id;

    public long ExitCount => Interlocked.Read(ref _exitCount);

    /// <summary>The Linux thread id (gettid) of the vCPU's thread, for its CPU time in /proc; 0 until it started.</summary>
    public int ThreadId
    {
        get
        {
            lock (_lock)
            {
                return _threadId;
            }
        }
    }

    public VcpuRunState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    public void Start()
    {
        lock (_lock)
        {
            if (_thread is not null)
            {
                throw new InvalidOperationException($"vCPU {Id} was already started");
            }

            _thread = new Thread(RunLoop) { Name = $"vcpu{Id}", IsBackground = true };
            _thread.Start();
            while (_state == VcpuRunState.Created)
            {
                Monitor.Wait(_lock);
            }
        }
    }

    /// <summary>
    /// Stops the vCPU between two exits and returns once it is parked (at once, without waiting, when called from
    /// the vCPU's own thread, e.g. by a device). Before parking, the vCPU thread completes the instruction the last
    /// exit left half-done (<see cref="KvmVcpu.CompletePendingIo"/>: a PIO or MMIO read is finished only by the next
    /// KVM_RUN), so a paused vCPU's registers are those after the instruction and <see cref="Save"/> never captures
    /// a half-done read that a restore would repeat. That costs one KVM_RUN that returns at once; it is always done.
    /// </summary>
    public void Pause() => Request(VcpuRunState.Paused, VcpuRunState.Paused);

    public void Resume()
    {
        lock (_lock)
        {
            if (_state is VcpuRunState.Paused or VcpuRunState.Running && _requested != VcpuRunState.Exited)
            {
                _requested = VcpuRunState.Running;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Ends the vCPU thread (from any thread but its own) and waits for it.</summary>
    public void Stop()
    {
        Request(VcpuRunState.Exited, VcpuRunState.Exited);
        if (_thread is { } thread && thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    /// <summary>Asks the vCPU to stop without waiting (safe from the vCPU's own thread).</summary>
    public void RequestStop()
    {
        lock (_lock)
        {
            _requested = VcpuRunState.Exited;
            Monitor.PulseAll(_lock);
            KickLocked();
        }
    }

    public void Dispose()
    {
        Stop();
        _kvm.Dispose();
    }

    private void Request(VcpuRunState requested, VcpuRunState awaited)
    {
        lock (_lock)
        {
            if (_state is VcpuRunState.Created or VcpuRunState.Exited)
            {
                _requested = VcpuRunState.Exited;
                return;
            }

            if (_requested != VcpuRunState.Exited)
            {
                _requested = requested;
            }

            Monitor.PulseAll(_lock);
            KickLocked();
            if (_thread != Thread.CurrentThread)
            {
                while (_state != awaited && _state != VcpuRunState.Exited)
                {
                    Monitor.Wait(_lock);
                }
            }
        }
    }

    private void KickLocked()
    {
        if (_state == VcpuRunState.Running && _threadId != 0)
        {
            VcpuKick.Kick(_kvm, _threadId);
        }
    }

    private void RunLoop()
    {
        try
        {
            int threadId = VcpuKick.PrepareCurrentThread(_kvm);
            lock (_lock)
            {
                _threadId = threadId;
                _state = VcpuRunState.Running;
                Monitor.PulseAll(_lock);
            }

            while (WaitUntilRunnable())
            {
                if (!_kvm.Run())
                {
                    VcpuKick.Acknowledge(_kvm);
                    continue;
                }

                Interlocked.Increment(ref _exitCount);
                if (!HandleExit())
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            _sink.OnStopRequested(Id, VmStopReason.Crash, $"vCPU {Id}: {e.UserMessage()}");
        }
        finally
        {
            lock (_lock)
            {
                _state = VcpuRunState.Exited;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Parks while paused; false when the vCPU must exit.</summary>
    private bool WaitUntilRunnable()
    {
        lock (_lock)
        {
            while (_requested == VcpuRunState.Paused)
            {
                if (_state != VcpuRunState.Paused)
                {
                    // Finish the last exit's instruction (see Pause); this also ends at once if a kick is pending,
                    // which Acknowledge then consumes.
                    _kvm.CompletePendingIo();
                    VcpuKick.Acknowledge(_kvm);
                    _state = VcpuRunState.Paused;
                    Monitor.PulseAll(_lock);
                }

                Monitor.Wait(_lock);
            }

            if (_requested == VcpuRunState.Exited)
            {
                return false;
            }

            if (_state != VcpuRunState.Running)
            {
                _state = VcpuRunState.Running;
                Monitor.PulseAll(_lock);
            }

            return true;
        }
    }

    /// <summary>Handles one exit; false when this vCPU is done.</summary>
    private bool HandleExit()
    {
        KvmRun run = _kvm.RunState;
        switch (run.ExitReason)
        {
            case KvmExitReason.Io:
                HandleIo(run);
                return true;
            case KvmExitReason.Mmio:
                HandleMmio(run);
                return true;
            case KvmExitReason.Hlt:
            case KvmExitReason.IrqWindowOpen:
            case KvmExitReason.Intr:
                return true;
            case KvmExitReason.Shutdown:
                return Stop(VmStopReason.TripleFault, "the guest triple-faulted");
            case KvmExitReason.SystemEvent:
                return run.SystemEventType switch
                {
                    SystemEventShutdown => Stop(VmStopReason.PowerOff, null),
                    SystemEventReset => Stop(VmStopReason.Reboot, null),
                    SystemEventCrash => Stop(VmStopReason.Crash, "the guest reported a crash"),
                    _ => true,
                };
            case KvmExitReason.FailEntry:
                return Stop(VmStopReason.Crash, $"KVM could not enter the guest (hardware reason 0x{run.FailEntryReason:x})");
            case KvmExitReason.InternalError:
                return Stop(VmStopReason.Crash, $"KVM internal error (suberror {run.InternalSuberror}) at rip 0x{SafeRip():x}");
            default:
                return Stop(VmStopReason.Crash, $"unexpected KVM exit {run.ExitReason} at rip 0x{SafeRip():x}");
        }
    }

    private void HandleIo(KvmRun run)
    {
        Span<byte> data = run.IoData;
        int size = run.IoSize;
        ushort port = run.IoPort;
        for (int offset = 0; offset < data.Length; offset += size)
        {
            Span<byte> item = data.Slice(offset, size);
            if (run.IoIsOut)
            {
                _pio.Write(port, item);
            }
            else if (!_pio.Read(port, item))
            {
                item.Fill(0xFF);
            }
        }
    }

    private void HandleMmio(KvmRun run)
    {
        Span<byte> data = run.MmioData;
        if (run.MmioIsWrite)
        {
            _mmio.Write(run.MmioAddress, data);
        }
        else if (!_mmio.Read(run.MmioAddress, data))
        {
            data.Fill(0xFF);
        }
    }

    private bool Stop(VmStopReason reason, string? detail)
    {
        _sink.OnStopRequested(Id, reason, detail);
        return false;
    }

    private ulong SafeRip()
    {
        try
        {
            return _kvm.GetRegisters().Rip;
        }
        catch (KvmException)
        {
            return 0;
        }
    }
}
