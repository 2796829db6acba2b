using System.Buffers.Binary;
using HyperNest.Kvm;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-mem, the memory device (virtio 1.2 §5.15): memory beyond the boot RAM that the guest plugs and unplugs in
/// 2 MiB blocks of a <see cref="HotplugRegion"/>. The host asks for an amount (<see cref="SetRequestedSize"/>,
/// requested_size); the guest's driver plugs or unplugs blocks to reach it through the one guest-request queue.
/// <para>
/// Every request is checked (§5.15.6): an address aligned to the block size, at least one block, all inside the usable
/// region, and blocks in the state the request needs; otherwise ERROR. A PLUG that would pass requested_size gets
/// NACK. UNPLUG and UNPLUG ALL give the blocks' host memory back. A chain too short for a request or its response is
/// returned unanswered. The whole region is usable from the start (usable_region_size = region_size, which §5.15.4
/// allows): a smaller usable region only helps a device that maps memory on demand, and unplugged blocks here cost
/// nothing.
/// </para>
/// <para>
/// VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE is offered: a driver that accepts it promises never to read unplugged blocks,
/// not even for a memory dump, which leaves room to unmap them later; Linux accepts it since 5.16. A driver that does
/// not accept it still works: its reads of unplugged blocks through the vCPUs find zeroes, as §5.15.6 then requires.
/// Device reads and writes (DMA) of unplugged blocks fail either way, as the driver must not ask for them.
/// </para>
/// </summary>
public sealed class Mem : IVirtioDevice
{
    public const ushort QueueSize = 128;

    /// <summary>VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE (§5.15.3).</summary>
    public const ulong FeatureUnpluggedInaccessible = 1UL << 1;

    /// <summary>sizeof(struct virtio_mem_req): type, padding, then addr and nb_blocks (§5.15.6).</summary>
    public const int RequestSize = 24;

    /// <summary>sizeof(struct virtio_mem_resp): type, padding, then the STATE answer (§5.15.6).</summary>
    public const int ResponseSize = 10;

    // struct virtio_mem_config (§5.15.4); node_id is 0 and means nothing, as VIRTIO_MEM_F_ACPI_PXM is not offered.
    private const int ConfigBlockSize = 0, ConfigAddress = 16, ConfigRegionSize = 24, ConfigUsableRegionSize = 32;
    private const int ConfigPluggedSize = 40, ConfigRequestedSize = 48, ConfigSize = 56;

    // Request and response fields (§5.15.6).
    private const int RequestAddress = 8, RequestBlocks = 16, ResponseState = 8;

    private readonly HotplugRegion _region;
    private ulong _requestedSize;
    private volatile bool _driverReady;

    /// <summary>Runs a host-side configuration change where the driver cannot see it half done.</summary>
    private Action<Func<bool>> _changeConfig = static change => change();

    /// <summary>
    /// A memory device for <paramref name="region"/>, asking the guest for <paramref name="requestedSize"/> bytes
    /// from the start (see <see cref="SetRequestedSize"/>).
    /// </summary>
    public Mem(HotplugRegion region, ulong requestedSize = 0)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _requestedSize = WholeBlocks(requestedSize);
    }

    public VirtioDeviceType DeviceType => VirtioDeviceType.Memory;

    public ulong OfferedFeatures => FeatureUnpluggedInaccessible;

    public int QueueCount => 1;

    public ushort MaxQueueSize => QueueSize;

    /// <summary>The most memory the guest can be given, in bytes (region_size).</summary>
    public ulong RegionSize => _region.Size;

    /// <summary>The unit of plugging, in bytes (block_size): 2 MiB.</summary>
    public ulong BlockSize => HotplugRegion.BlockSize;

    /// <summary>How much memory the guest is asked to plug, in bytes (requested_size).</summary>
    public ulong RequestedSize => Volatile.Read(ref _requestedSize);

    /// <summary>How much memory the guest has plugged, in bytes (plugged_size).</summary>
    public ulong PluggedSize => _region.PluggedBlocks * HotplugRegion.BlockSize;

    /// <summary>The guest's driver has set DRIVER_OK and not reset the device since: it is serving requests.</summary>
    public bool DriverReady => _driverReady;

    private ulong UsableRegionSize => _region.Size;

    /// <summary>
    /// Routes <see cref="SetRequestedSize"/> through the transport (<see cref="MmioTransport.ChangeConfig"/>), which
    /// makes the change under its lock and tells the driver. Until then a change takes effect silently.
    /// </summary>
    public void Connect(Action<Func<bool>> changeConfig)
    {
        ArgumentNullException.ThrowIfNull(changeConfig);
        _changeConfig = changeConfig;
    }

    /// <summary>
    /// Asks the guest for <paramref name="bytes"/> of this device's memory, rounded up to whole blocks: it plugs
    /// blocks up to that size or unplugs down to it, as far as it can (§5.15.6: a guest may not reach it, e.g. when
    /// plugged memory is in use). The driver gets a configuration change interrupt when the size changes. Safe from
    /// any thread. Throws <see cref="ArgumentOutOfRangeException"/> beyond <see cref="RegionSize"/>.
    /// </summary>
    public void SetRequestedSize(ulong bytes)
    {
        ulong size = WholeBlocks(bytes);
        _changeConfig(() =>
        {
            if (size == _requestedSize)
            {
                return false;
            }

            Volatile.Write(ref _requestedSize, size);
            return true;
        });
    }

    /// <summary>The device's own state (<see cref="MemState"/>); taken while the VM is paused.</summary>
    public MemState Save() => new(RequestedSize, _region.PluggedBitmap());

    /// <summary>
    /// Puts back the requested size and the plugged blocks, on a device just built over a region of the same size.
    /// Throws <see cref="InvalidDataException"/> (nothing changed) for a state of another region.
    /// </summary>
    public void Restore(MemState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.RequestedSize > _region.Size || state.RequestedSize % BlockSize != 0)
        {
            throw new InvalidDataException($"virtio-mem state: requested size {state.RequestedSize} is not whole blocks within the {_region.Size}-byte region");
        }

        _region.RestorePlugged(state.Plugged);
        Volatile.Write(ref _requestedSize, state.RequestedSize);
    }

    public void ReadConfig(uint offset, Span<byte> data)
    {
        Span<byte> config = stackalloc byte[ConfigSize];
        config.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigBlockSize..], HotplugRegion.BlockSize);
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigAddress..], _region.GuestPhysicalAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigRegionSize..], _region.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigUsableRegionSize..], UsableRegionSize);
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigPluggedSize..], PluggedSize);
        BinaryPrimitives.WriteUInt64LittleEndian(config[ConfigRequestedSize..], _requestedSize);
        ConfigSpace.Read(config, offset, data);
    }

    /// <summary>§5.15.4: the driver MUST NOT write the configuration; writes are ignored.</summary>
    public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
    {
    }

    public void Activate(ulong negotiatedFeatures) => _driverReady = true;

    /// <summary>§5.15.5: a device reset changes no block's state; the driver finds them plugged and unplugs them.</summary>
    public void Reset() => _driverReady = false;

    public void ProcessQueue(int queueIndex, VirtQueue queue)
    {
        while (queue.TryPop(out DescriptorChain chain))
        {
            queue.AddUsed(chain.HeadIndex, Serve(chain));
        }
    }

    private uint Serve(scoped in DescriptorChain chain)
    {
        Span<byte> request = stackalloc byte[RequestSize];
        if (chain.Error != ChainError.None || chain.WritableLength < ResponseSize || chain.CopyFromReadable(0, request) < RequestSize)
        {
            return 0;
        }

        (MemResponseType type, MemBlockState state) = Handle(
            (MemRequestType)BinaryPrimitives.ReadUInt16LittleEndian(request),
            BinaryPrimitives.ReadUInt64LittleEndian(request[RequestAddress..]),
            BinaryPrimitives.ReadUInt16LittleEndian(request[RequestBlocks..]));

        Span<byte> response = stackalloc byte[ResponseSize];
        response.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(response, (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(response[ResponseState..], (ushort)state);
        return (uint)chain.CopyToWritable(0, response);
    }

    private (MemResponseType Type, MemBlockState State) Handle(MemRequestType type, ulong address, ushort blocks)
    {
        if (type == MemRequestType.UnplugAll)
        {
            return (Discarding(_region.UnplugAll), default);
        }

        if (type is not (MemRequestType.Plug or MemRequestType.Unplug or MemRequestType.State) || !TryFindBlocks(address, blocks, out ulong first))
        {
            return (MemResponseType.Error, default);
        }

        ulong plugged = _region.CountPlugged(first, blocks);
        return type switch
        {
            MemRequestType.Plug when plugged != 0 => (MemResponseType.Error, default),
            MemRequestType.Plug when PluggedSize + (blocks * HotplugRegion.BlockSize) > _requestedSize => (MemResponseType.Nack, default),
            MemRequestType.Plug => (Plug(first, blocks), default),
            MemRequestType.Unplug when plugged != blocks => (MemResponseType.Error, default),
            MemRequestType.Unplug => (Discarding(() => _region.Unplug(first, blocks)), default),
            _ => (MemResponseType.Ack, plugged == blocks ? MemBlockState.Plugged : plugged == 0 ? MemBlockState.Unplugged : MemBlockState.Mixed),
        };
    }

    private MemResponseType Plug(ulong first, ulong blocks)
    {
        _region.Plug(first, blocks);
        return MemResponseType.Ack;
    }

    /// <summary>
    /// An unplug, which gives host memory back. madvise refuses that only for locked or special mappings, which the
    /// region never is; should it ever refuse, the blocks stay plugged and the driver is told to try again later.
    /// </summary>
    private static MemResponseType Discarding(Action unplug)
    {
        try
        {
            unplug();
            return MemResponseType.Ack;
        }
        catch (KvmException)
        {
            return MemResponseType.Busy;
        }
    }

    /// <summary>The first block of a request's range, if the range is whole blocks inside the usable region.</summary>
    private bool TryFindBlocks(ulong address, ushort blocks, out ulong first)
    {
        first = 0;
        if (blocks == 0 || address % HotplugRegion.BlockSize != 0 || address < _region.GuestPhysicalAddress)
        {
            return false;
        }

        first = (address - _region.GuestPhysicalAddress) / HotplugRegion.BlockSize;
        ulong usable = UsableRegionSize / HotplugRegion.BlockSize;
        return first <= usable && blocks <= usable - first;
    }

    private ulong WholeBlocks(ulong bytes)
    {
        if (bytes > _region.Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(bytes), $"{ByteSize.Format(bytes)} is more than this device's {ByteSize.Format(_region.Size)} of hot-pluggable memory");
        }

        return (bytes + HotplugRegion.BlockSize - 1) / HotplugRegion.BlockSize * HotplugRegion.BlockSize;
    }
}
