namespace HyperNest.Kvm;

/// <summary>
/// Typed view of a vCPU's mmap'ed struct kvm_run (api.rst §5). Offsets: the header is 32 bytes, the exit union
/// starts at 32. Valid only while its <see cref="KvmVcpu"/> lives; used only on that vCPU's thread, except
/// <see cref="ImmediateExit"/>, which a kicker sets from another thread.
/// </summary>
public sealed unsafe class KvmRun
{
    private const int ExitUnion = 32;
    private readonly byte* _run;
    private readonly int _size;

    internal KvmRun(nint mapping, int size)
    {
        _run = (byte*)mapping;
        _size = size;
    }

    public bool ImmediateExit
    {
        get => Volatile.Read(ref _run[1]) != 0;
        set => Volatile.Write(ref _run[1], value ? (byte)1 : (byte)0);
    }

    public KvmExitReason ExitReason => (KvmExitReason)(*(uint*)(_run + 8));

    // Exit union: struct { __u8 direction; __u8 size; __u16 port; __u32 count; __u64 data_offset; } io;
    public bool IoIsOut => _run[ExitUnion] == 1;

    public int IoSize => _run[ExitUnion + 1];

    public ushort IoPort => *(ushort*)(_run + ExitUnion + 2);

    public int IoCount => (int)*(uint*)(_run + ExitUnion + 4);

    /// <summary>The data of an I/O exit: size × count bytes inside the kvm_run page, range-checked.</summary>
    public Span<byte> IoData
    {
        get
        {
            ulong offset = *(ulong*)(_run + ExitUnion + 8);
            long length = (long)IoSize * IoCount;
            if (offset > (ulong)_size || length > _size - (long)offset)
            {
                throw new KvmException("KVM_RUN", "I/O exit data lies outside the kvm_run mapping");
            }

            return new Span<byte>(_run + offset, (int)length);
        }
    }

    // struct { __u64 phys_addr; __u8 data[8]; __u32 len; __u8 is_write; } mmio;
    public ulong MmioAddress => *(ulong*)(_run + ExitUnion);

    public bool MmioIsWrite => _run[ExitUnion + 20] != 0;

    public Span<byte> MmioData => new(_run + ExitUnion + 8, Math.Min(8, (int)*(uint*)(_run + ExitUnion + 16)));

    // struct { __u64 hardware_entry_failure_reason; __u32 cpu; } fail_entry;
    public ulong FailEntryReason => *(ulong*)(_run + ExitUnion);

    // struct { __u32 suberror; __u32 ndata; __u64 data[16]; } internal;
    public uint InternalSuberror => *(uint*)(_run + ExitUnion);

    // struct { __u32 type; __u32 ndata; ... } system_event;
    public uint SystemEventType => *(uint*)(_run + ExitUnion);
}
