using System.Buffers.Binary;
using HyperNest.Kvm;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-net (virtio 1.2 §5.1): one receive queue (0) and one transmit queue (1), the adapter's MAC address and
/// link status in the configuration space, and a 12-byte virtio_net_hdr_v1 before every frame. Checksum and
/// segmentation offloads are offered only when the backend carries that header (a TAP); the driver's choices reach
/// the backend when it sets DRIVER_OK. Frames the guest sends pass the switch port's check before the backend sees
/// them; frames it receives are shown to the port. A malformed chain fails that frame alone (dropped, counted).
/// <para>
/// Threads: transmit chains are served when the driver notifies queue 1 (its ioeventfd thread). Receiving needs a
/// thread of the device's own (<see cref="Start"/>): it polls the backend while the driver has buffers, and waits
/// for the driver's notification of queue 0 when it has none, so it never spins. Every queue turn, from either
/// thread, goes through the transport (which serialises it with register accesses) and does bounded work; the
/// device's thread takes the next turn when work remains.
/// </para>
/// </summary>
public sealed class Net : IVirtioDevice, IDisposable
{
    public const int ReceiveQueue = 0;
    public const int TransmitQueue = 1;
    public const ushort QueueSize = 256;

    /// <summary>sizeof(struct virtio_net_hdr_v1) (§5.1.6): flags, gso_type, hdr_len, gso_size, csum_start,
    /// csum_offset, num_buffers.</summary>
    public const int HeaderSize = 12;

    /// <summary>Ethernet destination, source and type: anything shorter is not a frame.</summary>
    public const int MinimumFrameLength = 14;

    /// <summary>VIRTIO_NET_S_LINK_UP (§5.1.4).</summary>
    public const ushort StatusLinkUp = 1;

    /// <summary>Frames one turn moves at most, so one busy queue cannot hold the transport for long.</summary>
    public const int FramesPerTurn = 64;

    // struct virtio_net_config (§5.1.4) up to status; max_virtqueue_pairs and the rest are not offered and read 0.
    private const int ConfigMac = 0, ConfigStatus = 6, ConfigSize = 8;

    private readonly INetworkBackend _backend;
    private readonly byte[] _config = new byte[ConfigSize];
    private readonly NetReceiver _receiver;
    private readonly NetTransmitter _transmitter;

    /// <summary>Wakes the device's thread: to stop, to take another turn, or to change what it polls.</summary>
    private readonly EventFd _wake = new(nonBlocking: true);

    private Thread? _thread;
    private Action<int>? _notifyQueue;
    private Action? _configChanged;
    private volatile bool _stopping;

    /// <summary>The device's thread polls the backend: the driver is running and has receive buffers.</summary>
    private volatile bool _pollBackend;

    // Another turn is due on the receive / transmit queue (set under the transport's lock, taken by the thread).
    private int _receiveAgain, _transmitAgain;

    /// <summary>
    /// A virtio-net device with <paramref name="macAddress"/> (6 bytes, unicast) on <paramref name="backend"/>,
    /// which the caller owns and disposes after this device. <paramref name="port"/>, when given, vets every frame.
    /// <paramref name="linkUp"/> is the link status the driver first reads (VIRTIO_NET_S_LINK_UP, §5.1.4).
    /// </summary>
    public Net(ReadOnlySpan<byte> macAddress, INetworkBackend backend, SwitchPort? port = null, bool linkUp = true)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (macAddress.Length != 6 || (macAddress[0] & 1) != 0)
        {
            throw new ArgumentException("a network adapter's MAC address is 6 bytes and unicast", nameof(macAddress));
        }

        _backend = backend;
        macAddress.CopyTo(_config.AsSpan(ConfigMac));
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(ConfigStatus), linkUp ? StatusLinkUp : (ushort)0);
        OfferedFeatures = NetFeatures.OfferedFor(backend);
        _receiver = new NetReceiver(backend, port);
        _transmitter = new NetTransmitter(backend, port);
    }

    public VirtioDeviceType DeviceType => VirtioDeviceType.Network;

    public ulong OfferedFeatures { get; }

    public int QueueCount => 2;

    public ushort MaxQueueSize => QueueSize;

    /// <summary>Frames delivered into the guest's receive buffers.</summary>
    public long ReceivedFrames => _receiver.Frames;

    /// <summary>Bytes of the frames delivered into the guest (without the virtio_net_hdr).</summary>
    public long ReceivedBytes => _receiver.Bytes;

    /// <summary>Bytes of the guest frames the backend took (without the virtio_net_hdr).</summary>
    public long TransmittedBytes => _transmitter.Bytes;

    /// <summary>Received frames lost: runts, and frames whose receive buffers were malformed or too small.</summary>
    public long ReceiveDropped => _receiver.Dropped;

    /// <summary>Guest frames the backend took.</summary>
    public long TransmittedFrames => _transmitter.Frames;

    /// <summary>Guest frames lost: malformed chains and frames the backend refused.</summary>
    public long TransmitDropped => _transmitter.Dropped;

    /// <summary>Guest frames the switch port refused.</summary>
    public long TransmitRefused => _transmitter.Refused;

    /// <summary>
    /// Starts the device's thread. <paramref name="notifyQueue"/> takes a turn on a queue through the transport
    /// (<see cref="MmioTransport.NotifyQueue"/>), which calls back into <see cref="ProcessQueue"/> if the driver is
    /// running. Dispose this device before the transport's interrupt line.
    /// </summary>
    /// <param name="notifyQueue">Takes a turn on a queue through the transport.</param>
    /// <param name="name">The thread's name.</param>
    /// <param name="configChanged">Tells the driver the configuration changed (<see cref="MmioTransport.NotifyConfigChanged"/>).</param>
    public void Start(Action<int> notifyQueue, string name = "virtio-net", Action? configChanged = null)
    {
        _configChanged = configChanged;
        ArgumentNullException.ThrowIfNull(notifyQueue);
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (_thread is not null)
        {
            throw new InvalidOperationException("the device's thread is already running");
        }

        _notifyQueue = notifyQueue;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether the driver sees the link up (the adapter is connected to a switch).</summary>
    public bool LinkUp => BinaryPrimitives.ReadUInt16LittleEndian(_config.AsSpan(ConfigStatus)) == StatusLinkUp;

    /// <summary>
    /// Plugs the cable in or pulls it (Connect-/Disconnect-VMNetworkAdapter on a running VM): the status field changes
    /// and the driver gets a configuration change interrupt (§5.1.4, VIRTIO_NET_F_STATUS), on which Linux re-reads
    /// the link and reports carrier on or off.
    /// </summary>
    public void SetLinkUp(bool up)
    {
        if (up == LinkUp)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(ConfigStatus), up ? StatusLinkUp : (ushort)0);
        _configChanged?.Invoke();
    }

    public void ReadConfig(uint offset, Span<byte> data) => ConfigSpace.Read(_config, offset, data);

    /// <summary>Nothing is writable: the MAC is the device's (VIRTIO_NET_F_CTRL_MAC_ADDR is not offered).</summary>
    public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
    {
    }

    public void Activate(ulong negotiatedFeatures)
    {
        _receiver.Mergeable = (negotiatedFeatures & NetFeatures.MergeableReceiveBuffers) != 0;
        _backend.SetOffloads(NetFeatures.GuestOffloads(negotiatedFeatures));
        PollBackend(true);
    }

    public void Reset()
    {
        _pollBackend = false;
        _receiveAgain = _transmitAgain = 0;
        _receiver.Reset();
        _backend.SetOffloads(NetworkOffloads.None);
    }

    public void ProcessQueue(int queueIndex, VirtQueue queue)
    {
        if (queueIndex == TransmitQueue)
        {
            if (_transmitter.Serve(queue, FramesPerTurn))
            {
                TakeAnotherTurn(ref _transmitAgain);
            }

            return;
        }

        switch (_receiver.Serve(queue, FramesPerTurn))
        {
            case NetReceiveOutcome.BackendEmpty:
                PollBackend(true);
                break;
            case NetReceiveOutcome.BudgetSpent:
                TakeAnotherTurn(ref _receiveAgain);
                break;
            default:
                // No buffers: the driver's notification of queue 0 brings the next turn. A failed backend: none.
                _pollBackend = false;
                break;
        }
    }

    /// <summary>Stops the device's thread; the backend stays the caller's.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_thread is not null)
        {
            _wake.Signal();
            _thread.Join();
        }

        _wake.Dispose();
    }

    private void PollBackend(bool poll)
    {
        // Only a change needs the thread awake: it may be blocked in a poll without the backend.
        if (poll != _pollBackend)
        {
            _pollBackend = poll;
            _wake.Signal();
        }
    }

    private void TakeAnotherTurn(ref int flag)
    {
        Volatile.Write(ref flag, 1);
        _wake.Signal();
    }

    /// <summary>
    /// The device's thread. No wakeup is lost: every change to what it should do is a flag set before the eventfd is
    /// signalled, and the eventfd is only cleared before the flags are read. It never spins: it polls the backend
    /// only while <see cref="_pollBackend"/>, which it clears before each receive turn and only a turn that drained
    /// the backend sets again.
    /// </summary>
    private void Run()
    {
        Action<int> notifyQueue = _notifyQueue!;
        while (true)
        {
            (bool woken, bool readable) = FdPoll.WaitReadable(_wake.Handle, _pollBackend ? _backend.ReadableHandle : null);
            if (woken)
            {
                _wake.Wait();
            }

            // Read after the clear, like every flag: Dispose's signal may be the one just cleared, and a stop read
            // before it would send the thread back into a poll no one wakes (Dispose then waits in Join for ever).
            if (_stopping)
            {
                return;
            }

            if (Interlocked.Exchange(ref _transmitAgain, 0) != 0)
            {
                notifyQueue(TransmitQueue);
            }

            if (readable | Interlocked.Exchange(ref _receiveAgain, 0) != 0)
            {
                _pollBackend = false;
                notifyQueue(ReceiveQueue);
            }
        }
    }
}
