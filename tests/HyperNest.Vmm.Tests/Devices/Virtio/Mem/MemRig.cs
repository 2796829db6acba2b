using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A virtio-mem device over 16 MiB of boot RAM and a 256 MiB region, behind a transport, with a driver that sends
/// requests as Linux's virtio_mem does: a 24-byte struct virtio_mem_req and a 10-byte struct virtio_mem_resp in one
/// chain (virtio 1.2 §5.15.6). Values below are written out from the spec, independently of the implementation.
/// </summary>
internal sealed class MemRig : IDisposable
{
    public const ulong MiB = MemoryLayout.MiB, BlockBytes = 2 * MiB, RegionSize = 256 * MiB;

    // Request types, response types and block states (§5.15.6).
    public const ushort Plug = 0, Unplug = 1, UnplugAll = 2, State = 3;
    public const ushort Ack = 0, Nack = 1, Busy = 2, Error = 3;
    public const ushort StatePlugged = 0, StateUnplugged = 1, StateMixed = 2;

    /// <summary>VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE (§5.15.3).</summary>
    public const ulong UnpluggedInaccessible = 1UL << 1;

    // struct virtio_mem_config (§5.15.4).
    public const ulong ConfigBlockSize = 0, ConfigNodeId = 8, ConfigAddress = 16, ConfigRegionSize = 24;
    public const ulong ConfigUsableRegionSize = 32, ConfigPluggedSize = 40, ConfigRequestedSize = 48;

    public const ulong RequestBuffer = 0x100000, ResponseBuffer = 0x101000;

    public MemRig(ulong requestedSize = RegionSize)
    {
        Memory = new GuestMemory(16 * MiB, RegionSize);
        Device = new Mem(Memory.Hotplug!, requestedSize);
        Interrupt = new RecordingInterruptLine();
        Transport = new MmioTransport(Device, Memory, Interrupt);
        Device.Connect(Transport.ChangeConfig);
        Driver = new MmioDriver(Transport);
        Queue = new SplitQueueDriver(Memory, 16);
    }

    public GuestMemory Memory { get; }

    public HotplugRegion Region => Memory.Hotplug!;

    public ulong Base => Region.GuestPhysicalAddress;

    public Mem Device { get; }

    public RecordingInterruptLine Interrupt { get; }

    public MmioTransport Transport { get; }

    public MmioDriver Driver { get; }

    public SplitQueueDriver Queue { get; }

    /// <summary>§3.1.1 through DRIVER_OK, accepting every offered feature in <paramref name="accept"/>.</summary>
    public MemRig Start(ulong accept = ulong.MaxValue)
    {
        Driver.Initialize(Driver.DeviceFeatures & accept, Queue);
        return this;
    }

    /// <summary>The address of block <paramref name="index"/> of the region.</summary>
    public ulong BlockAddress(ulong index) => Base + (index * BlockBytes);

    /// <summary>struct virtio_mem_req of a PLUG of block <paramref name="index"/> alone.</summary>
    public byte[] PlugRequest(ulong index) => Request(Plug, BlockAddress(index), 1, garbageInPadding: false);

    /// <summary>Sends one request; returns the response's type and state and the used length the device reported.</summary>
    public (ushort Type, ushort State, uint Used) Send(ushort type, ulong address = 0, ushort blocks = 0, bool garbageInPadding = false) =>
        SendRaw(Request(type, address, blocks, garbageInPadding), Segment.Out(ResponseBuffer, 10));

    /// <summary>Sends <paramref name="request"/> as the readable part and <paramref name="response"/> as the writable.</summary>
    public (ushort Type, ushort State, uint Used) SendRaw(byte[] request, params Segment[] response)
    {
        Memory.Write(RequestBuffer, request);
        Memory.GetSpan(ResponseBuffer, 16).Fill(0xCC);
        ushort head = Queue.AddChain([Segment.In(RequestBuffer, (uint)request.Length), .. response]);
        uint used = Queue.Complete(Driver, head);
        return (Memory.Read<ushort>(ResponseBuffer), Memory.Read<ushort>(ResponseBuffer + 8), used);
    }

    public ulong ReadConfig(ulong offset) =>
        Driver.Read(MmioRegisters.Config + offset) | ((ulong)Driver.Read(MmioRegisters.Config + offset + 4) << 32);

    public void Dispose() => Memory.Dispose();

    /// <summary>struct virtio_mem_req: type, 3 padding words, addr, nb_blocks, 3 padding words.</summary>
    private static byte[] Request(ushort type, ulong address, ushort blocks, bool garbageInPadding)
    {
        byte[] request = new byte[24];
        if (garbageInPadding)
        {
            Array.Fill(request, (byte)0xEE);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(request, type);
        BinaryPrimitives.WriteUInt64LittleEndian(request.AsSpan(8), address);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(16), blocks);
        return request;
    }
}
