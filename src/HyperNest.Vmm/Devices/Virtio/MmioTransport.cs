using System.Buffers.Binary;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The virtio-mmio transport, "modern" register layout version 2 (virtio 1.2 §4.2.2): one 4 KiB window per device
/// with the control registers below 0x100 and the device configuration space from 0x100. It owns the device status
/// state machine, feature negotiation, the queues and the interrupt status. MMIO accesses (vCPU threads) and
/// <see cref="NotifyQueue"/> (an ioeventfd thread) are serialised by one lock, so device state is never touched
/// concurrently. Nothing the guest writes makes it throw: bad values are ignored, a bad queue marks the device
/// DEVICE_NEEDS_RESET.
/// </summary>
public sealed partial class MmioTransport : IBusDevice
{
    /// <summary>"virt" in little-endian ASCII (§4.2.2).</summary>
    public const uint MagicValue = 0x7472_6976;

    /// <summary>The non-legacy register layout (§4.2.2; legacy devices report 1, §4.2.4).</summary>
    public const uint Version = 2;

    /// <summary>"HNST" in little-endian ASCII; the spec leaves vendor IDs to the implementation.</summary>
    public const uint VendorId = 0x5453_4E48;

    /// <summary>InterruptStatus bit 0: a used buffer was added to a queue.</summary>
    public const uint InterruptUsedBuffer = 1;

    /// <summary>InterruptStatus bit 1: the configuration (or the device status) changed.</summary>
    public const uint InterruptConfigChange = 2;

    /// <summary>Where the device configuration space starts in the window.</summary>
    public const ulong ConfigOffset = 0x100;

    /// <summary>QueueNotify: a 32-bit write of the queue index. Where to register an ioeventfd (datamatch on the
    /// index) whose thread then calls <see cref="NotifyQueue"/>.</summary>
    public const ulong QueueNotifyOffset = 0x050;

    // Control register offsets, §4.2.2 table "MMIO Device Register Layout".
    private const ulong RegMagicValue = 0x000, RegVersion = 0x004, RegDeviceId = 0x008, RegVendorId = 0x00c;
    private const ulong RegDeviceFeatures = 0x010, RegDeviceFeaturesSel = 0x014;
    private const ulong RegDriverFeatures = 0x020, RegDriverFeaturesSel = 0x024;
    private const ulong RegQueueSel = 0x030, RegQueueNumMax = 0x034, RegQueueNum = 0x038, RegQueueReady = 0x044;
    private const ulong RegQueueNotify = QueueNotifyOffset, RegInterruptStatus = 0x060, RegInterruptAck = 0x064, RegStatus = 0x070;
    private const ulong RegQueueDescLow = 0x080, RegQueueDescHigh = 0x084;
    private const ulong RegQueueDriverLow = 0x090, RegQueueDriverHigh = 0x094;
    private const ulong RegQueueDeviceLow = 0x0a0, RegQueueDeviceHigh = 0x0a4;
    private const ulong RegConfigGeneration = 0x0fc;

    private readonly IVirtioDevice _device;
    private readonly IInterruptLine _interrupt;
    private readonly VirtQueue[] _queues;

    /// <summary>Queues the driver notified after FEATURES_OK but before DRIVER_OK: served at DRIVER_OK.</summary>
    private readonly bool[] _notifiedBeforeDriverOk;
    private readonly bool[] _notifiedWhilePaused;
    private bool _paused;
    private readonly Lock _lock = new();

    private VirtioDeviceStatus _status;
    private ulong _driverFeatures;
    private uint _deviceFeaturesSelect;
    private uint _driverFeaturesSelect;
    private uint _queueSelect;
    private uint _interruptStatus;
    private uint _configGeneration;

    public MmioTransport(IVirtioDevice device, GuestMemory memory, IInterruptLine interrupt)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(interrupt);
        _device = device;
        _interrupt = interrupt;
        _queues = new VirtQueue[device.QueueCount];
        for (int i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new VirtQueue(memory, device.MaxQueueSize);
        }

        _notifiedBeforeDriverOk = new bool[_queues.Length];
        _notifiedWhilePaused = new bool[_queues.Length];

        OfferedFeatures = device.OfferedFeatures | VirtioFeatures.Transport;
    }

    public IVirtioDevice Device => _device;

    /// <summary>Everything the device offers: its own features and the transport's (including VERSION_1).</summary>
    public ulong OfferedFeatures { get; }

    public VirtioDeviceStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    public void Read(ulong offset, Span<byte> data)
    {
        lock (_lock)
        {
            if (offset >= ConfigOffset)
            {
                _device.ReadConfig((uint)(offset - ConfigOffset), data);
            }
            else if (IsRegisterAccess(offset, data.Length))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(data, ReadRegister(offset));
            }
            else
            {
                data.Fill(0xff);
            }
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (offset >= ConfigOffset)
            {
                _device.WriteConfig((uint)(offset - ConfigOffset), data);
            }
            else if (IsRegisterAccess(offset, data.Length))
            {
                WriteRegister(offset, BinaryPrimitives.ReadUInt32LittleEndian(data));
            }
        }
    }

    /// <summary>Processes queue <paramref name="index"/> as if the driver wrote it to QueueNotify (for ioeventfd).</summary>
    public void NotifyQueue(int index)
    {
        lock (_lock)
        {
            if (_paused)
            {
                // Served on Resume (or, after a save, by the restored VM's first turn on every queue).
                if ((uint)index < (uint)_notifiedWhilePaused.Length)
                {
                    _notifiedWhilePaused[index] = true;
                }

                return;
            }

            ProcessQueue(index);
        }
    }

    /// <summary>
    /// The device changed its configuration space (a resized disk, a balloon target): bump ConfigGeneration so a
    /// driver reading across the change retries (§2.5.1), and interrupt it once it is running.
    /// </summary>
    public void NotifyConfigChanged() => ChangeConfig(static () => true);

    /// <summary>
    /// A host-side change to the device's configuration space (a memory device's requested size): runs
    /// <paramref name="change"/> under the lock every register access and queue turn takes, and if it reports a
    /// change, bumps ConfigGeneration and interrupts the running driver in the same critical section, so a driver
    /// reading across the change sees a new generation and reads again (§2.5.1, §4.2.2).
    /// </summary>
    public void ChangeConfig(Func<bool> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (change())
            {
                _configGeneration++;
                if (_status.HasFlag(VirtioDeviceStatus.DriverOk))
                {
                    RaiseInterrupt(InterruptConfigChange);
                }
            }
        }
    }

    /// <summary>§4.2.2.2: the driver uses only aligned 32-bit accesses for the control registers.</summary>
    private static bool IsRegisterAccess(ulong offset, int length) => length == sizeof(uint) && offset % sizeof(uint) == 0;

    /// <summary>A 64-bit value seen through a low register (offset ≡ 0 mod 8) and a high one (≡ 4).</summary>
    private static uint HalfAt(ulong offset, ulong value) => (offset & 4) != 0 ? (uint)(value >> 32) : (uint)value;

    private static ulong WithHalf(ulong value, bool high, uint half) =>
        high ? (value & 0xFFFF_FFFF) | ((ulong)half << 32) : (value & 0xFFFF_FFFF_0000_0000) | half;

    private bool IsRunning => (_status & (VirtioDeviceStatus.DriverOk | VirtioDeviceStatus.Failed | VirtioDeviceStatus.DeviceNeedsReset)) == VirtioDeviceStatus.DriverOk;

    /// <summary>Between FEATURES_OK and DRIVER_OK (§3.1.1): the driver sets up its queues.</summary>
    private bool IsSettingUp =>
        (_status & (VirtioDeviceStatus.FeaturesOk | VirtioDeviceStatus.DriverOk | VirtioDeviceStatus.Failed)) == VirtioDeviceStatus.FeaturesOk;

    /// <summary>Queues are set up between FEATURES_OK and DRIVER_OK (§3.1.1), and only while not ready.</summary>
    private VirtQueue? ConfigurableQueue => IsSettingUp && SelectedQueue is { IsReady: false } queue ? queue : null;

    private VirtQueue? SelectedQueue => _queueSelect < (uint)_queues.Length ? _queues[_queueSelect] : null;

    private uint ReadRegister(ulong offset) => offset switch
    {
        RegMagicValue => MagicValue,
        RegVersion => Version,
        RegDeviceId => (uint)_device.DeviceType,
        RegVendorId => VendorId,
        RegDeviceFeatures => _deviceFeaturesSelect < 2 ? HalfAt(_deviceFeaturesSelect * 4, OfferedFeatures) : 0,
        RegQueueNumMax => SelectedQueue?.MaxSize ?? 0,
        RegQueueNum => SelectedQueue?.Size ?? 0,
        RegQueueReady => SelectedQueue is { IsReady: true } ? 1u : 0u,
        RegInterruptStatus => _interruptStatus,
        RegStatus => (uint)_status,
        RegQueueDescLow or RegQueueDescHigh => HalfAt(offset, SelectedQueue?.DescriptorTableAddress ?? 0),
        RegQueueDriverLow or RegQueueDriverHigh => HalfAt(offset, SelectedQueue?.DriverAreaAddress ?? 0),
        RegQueueDeviceLow or RegQueueDeviceHigh => HalfAt(offset, SelectedQueue?.DeviceAreaAddress ?? 0),
        RegConfigGeneration => _configGeneration,

        // Write-only and unimplemented registers (SHM regions among them: all-ones means "none", §4.2.2).
        _ => uint.MaxValue,
    };

    private void WriteRegister(ulong offset, uint value)
    {
        switch (offset)
        {
            case RegDeviceFeaturesSel:
                _deviceFeaturesSelect = value;
                break;
            case RegDriverFeatures:
                WriteDriverFeatures(value);
                break;
            case RegDriverFeaturesSel:
                _driverFeaturesSelect = value;
                break;
            case RegQueueSel:
                _queueSelect = value;
                break;
            case RegQueueNum when ConfigurableQueue is { } queue:
                queue.Size = (ushort)Math.Min(value, ushort.MaxValue);
                break;
            case RegQueueReady:
                WriteQueueReady(value);
                break;
            case RegQueueNotify:
                ProcessQueue((int)Math.Min(value, int.MaxValue));
                break;
            case RegInterruptAck:
                _interruptStatus &= ~value;
                break;
            case RegStatus:
                WriteStatus(value);
                break;
            case RegQueueDescLow or RegQueueDescHigh or RegQueueDriverLow or RegQueueDriverHigh or RegQueueDeviceLow or RegQueueDeviceHigh:
                WriteQueueAddress(offset, value);
                break;
            default:
                // Read-only and unimplemented registers ignore writes.
                break;
        }
    }

    private void WriteDriverFeatures(uint value)
    {
        // Features are negotiated after DRIVER and frozen by FEATURES_OK (§3.1.1 steps 3-5).
        bool negotiating = (_status & (VirtioDeviceStatus.Driver | VirtioDeviceStatus.FeaturesOk)) == VirtioDeviceStatus.Driver;
        if (negotiating)
        {
            _driverFeatures = _driverFeaturesSelect switch
            {
                0 or 1 => WithHalf(_driverFeatures, _driverFeaturesSelect == 1, value),
                _ => _driverFeatures,
            };
        }
    }

    private void WriteQueueAddress(ulong offset, uint value)
    {
        if (ConfigurableQueue is not { } queue)
        {
            return;
        }

        // Each address is a low register followed by its high one (§4.2.2).
        bool high = (offset & 4) != 0;
        switch (offset & ~4UL)
        {
            case RegQueueDescLow:
                queue.DescriptorTableAddress = WithHalf(queue.DescriptorTableAddress, high, value);
                break;
            case RegQueueDriverLow:
                queue.DriverAreaAddress = WithHalf(queue.DriverAreaAddress, high, value);
                break;
            default:
                queue.DeviceAreaAddress = WithHalf(queue.DeviceAreaAddress, high, value);
                break;
        }
    }

    private void WriteQueueReady(uint value)
    {
        if (value == 0)
        {
            SelectedQueue?.Disable();
        }
        else if (ConfigurableQueue is { } queue && !queue.TryMakeReady())
        {
            // A size that is not a power of two, or rings outside guest RAM: a driver bug the device cannot work
            // around. Say so rather than leave the driver waiting on a queue that will never run.
            MarkNeedsReset();
        }
    }

    /// <summary>
    /// §2.1.1-2.1.2 and §3.1.1: 0 resets; otherwise the driver only adds bits, in order (ACKNOWLEDGE, DRIVER,
    /// FEATURES_OK, DRIVER_OK), and a bit whose predecessor is missing is dropped. FEATURES_OK is kept only if the
    /// accepted features are a subset of those offered and include VERSION_1; the driver reads it back to learn so.
    /// DEVICE_NEEDS_RESET belongs to the device and survives driver writes; bits §2.1 does not define are not kept.
    /// </summary>
    private void WriteStatus(uint value)
    {
        if (value == 0)
        {
            Reset();
            return;
        }

        VirtioDeviceStatus deviceOwned = _status & VirtioDeviceStatus.DeviceNeedsReset;
        VirtioDeviceStatus current = _status & ~VirtioDeviceStatus.DeviceNeedsReset;
        VirtioDeviceStatus requested = (VirtioDeviceStatus)(byte)value & DriverStatusBits;
        if ((requested & current) != current)
        {
            return;
        }

        if (!requested.HasFlag(VirtioDeviceStatus.Acknowledge))
        {
            requested &= ~VirtioDeviceStatus.Driver;
        }

        if (!requested.HasFlag(VirtioDeviceStatus.Driver) || !FeaturesAcceptable())
        {
            requested &= ~VirtioDeviceStatus.FeaturesOk;
        }

        if (!requested.HasFlag(VirtioDeviceStatus.FeaturesOk))
        {
            requested &= ~VirtioDeviceStatus.DriverOk;
        }

        _status = requested | deviceOwned;
        VirtioDeviceStatus added = requested & ~current;
        if (added.HasFlag(VirtioDeviceStatus.FeaturesOk))
        {
            foreach (VirtQueue queue in _queues)
            {
                queue.SetNegotiatedFeatures(_driverFeatures);
            }
        }

        if (added.HasFlag(VirtioDeviceStatus.DriverOk))
        {
            _device.Activate(_driverFeatures);
            ServeEarlyNotifications();
        }
    }

    /// <summary>The status bits a driver sets (§2.1): all the defined ones but DEVICE_NEEDS_RESET.</summary>
    private const VirtioDeviceStatus DriverStatusBits =
        VirtioDeviceStatus.Acknowledge | VirtioDeviceStatus.Driver | VirtioDeviceStatus.FeaturesOk | VirtioDeviceStatus.DriverOk | VirtioDeviceStatus.Failed;

    private bool FeaturesAcceptable() =>
        (_driverFeatures & ~OfferedFeatures) == 0 && (_driverFeatures & VirtioFeatures.Version1) != 0;

    private void Reset()
    {
        _device.Reset();
        foreach (VirtQueue queue in _queues)
        {
            queue.Reset();
        }

        _status = VirtioDeviceStatus.None;
        Array.Clear(_notifiedBeforeDriverOk);
        _driverFeatures = 0;
        _deviceFeaturesSelect = _driverFeaturesSelect = _queueSelect = 0;
        _interruptStatus = 0;
    }

    /// <summary>
    /// A device consumes no buffer before DRIVER_OK (§3.1.1), but a driver may make one available and notify
    /// before it: Linux's virtio_balloon primes its stats queue so, and never notifies it again. Such a
    /// notification is kept and served once the device is activated, as a pending ioeventfd would be.
    /// </summary>
    private void ServeEarlyNotifications()
    {
        for (int index = 0; index < _notifiedBeforeDriverOk.Length; index++)
        {
            if (_notifiedBeforeDriverOk[index])
            {
                _notifiedBeforeDriverOk[index] = false;
                ProcessQueue(index);
            }
        }
    }

    private void ProcessQueue(int index)
    {
        if ((uint)index >= (uint)_queues.Length || !_queues[index].IsReady)
        {
            return;
        }

        if (!IsRunning)
        {
            _notifiedBeforeDriverOk[index] |= IsSettingUp;
            return;
        }

        VirtQueue queue = _queues[index];
        try
        {
            _device.ProcessQueue(index, queue);
        }
        catch (GuestMemoryException)
        {
            // Everything a device touches was range-checked first; this is the last line, not the plan.
            queue.MarkBroken();
        }

        if (queue.ShouldInterrupt())
        {
            RaiseInterrupt(InterruptUsedBuffer);
        }

        if (queue.IsBroken)
        {
            MarkNeedsReset();
        }
    }

    /// <summary>§2.1.2: the device sets DEVICE_NEEDS_RESET and, once DRIVER_OK is set, sends a config change.</summary>
    private void MarkNeedsReset()
    {
        if (_status.HasFlag(VirtioDeviceStatus.DeviceNeedsReset))
        {
            return;
        }

        _status |= VirtioDeviceStatus.DeviceNeedsReset;
        if (_status.HasFlag(VirtioDeviceStatus.DriverOk))
        {
            RaiseInterrupt(InterruptConfigChange);
        }
    }

    private void RaiseInterrupt(uint reason)
    {
        _interruptStatus |= reason;
        _interrupt.Trigger();
    }
}
