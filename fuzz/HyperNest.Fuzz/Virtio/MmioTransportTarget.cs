using System.Buffers.Binary;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// The virtio-mmio register interface (virtio 1.2 §4.2.2) in front of a small device with three queues and a
/// 24-byte configuration space. The input is a program of operations: raw reads and writes of any width (0 to 8
/// bytes) at any offset, writes of a named register, a host change of the configuration (ChangeConfig), pause and
/// resume, a notification through the ioeventfd path, and a driver's whole bring-up (§3.1.1). Checked after every
/// operation: a read never throws; MagicValue, Version, DeviceID and VendorID read the same; status reads back only as
/// §2.1 and §3.1.1 allow (DRIVER only after ACKNOWLEDGE, FEATURES_OK only after DRIVER and with accepted features that
/// the device offered and that include VERSION_1, DRIVER_OK only after FEATURES_OK); the accepted features do not
/// change once FEATURES_OK is set; after a reset (status 0) status, interrupt status and every QueueReady read 0;
/// the device is activated once per DRIVER_OK with the accepted features, and serves queues only while active; a
/// configuration change moves ConfigGeneration.
/// </summary>
public sealed class MmioTransportTarget : IFuzzTarget
{
    private const ulong RegMagic = 0x000, RegVersion = 0x004, RegDeviceId = 0x008, RegVendorId = 0x00c;
    private const ulong RegQueueSel = 0x030, RegQueueReady = 0x044, RegInterruptStatus = 0x060, RegStatus = 0x070;
    private const ulong RegConfigGeneration = 0x0fc;

    /// <summary>Every register of §4.2.2's table, for the operation that writes a named one.</summary>
    private static readonly ulong[] Registers =
    [
        0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x020, 0x024, 0x030, 0x034, 0x038, 0x044, 0x050, 0x060, 0x064, 0x070,
        0x080, 0x084, 0x090, 0x094, 0x0a0, 0x0a4, 0x0ac, 0x0b0, 0x0b4, 0x0b8, 0x0bc, 0x0c0, 0x0fc, 0x100, 0x108, 0x114,
    ];

    public string Name => "mmio-transport";

    public string Description => "raw MMIO register accesses; identity registers fixed, reads never throw, status follows §3.1.1, reset clears queues";

    public void Run(ReadOnlySpan<byte> input)
    {
        GuestMemory memory = VirtioGuest.FreshMemory();
        var device = new FakeDevice();
        var transport = new MmioTransport(device, memory, new NoInterrupt());
        var reader = new FuzzInput(input);
        ulong frozenFeatures = ulong.MaxValue;
        bool paused = false;
        Span<byte> value = stackalloc byte[8];
        for (int i = 0; i < VirtioGuest.MaxOperations && !reader.IsEmpty; i++)
        {
            bool reset = false;
            switch (reader.Byte() % 8)
            {
                case 0:
                {
                    (ulong offset, int width) = Access(ref reader);
                    BinaryPrimitives.WriteUInt64LittleEndian(value, reader.UInt64());
                    reset = offset == RegStatus && width == 4 && BinaryPrimitives.ReadUInt32LittleEndian(value) == 0;
                    transport.Write(offset, value[..width]);
                    break;
                }

                case 1:
                {
                    (ulong offset, int width) = Access(ref reader);
                    transport.Read(offset, value[..width]);
                    break;
                }

                case 2:
                {
                    ulong offset = Registers[reader.Byte() % Registers.Length];
                    uint written = reader.Bool() ? reader.Byte() : reader.UInt32();
                    reset = offset == RegStatus && written == 0;
                    Write32(transport, offset, written);
                    break;
                }

                case 3:
                {
                    uint before = Read32(transport, RegConfigGeneration);
                    bool change = reader.Bool();
                    byte fill = reader.Byte();
                    transport.ChangeConfig(() =>
                    {
                        device.Config.AsSpan(0, 8).Fill(fill);
                        return change;
                    });
                    InvariantViolation.Check(!change || Read32(transport, RegConfigGeneration) != before, "a configuration change left ConfigGeneration as it was");
                    break;
                }

                case 4:
                    if (paused)
                    {
                        transport.Resume();
                    }
                    else
                    {
                        transport.Pause();
                    }

                    paused = !paused;
                    break;

                case 5:
                    transport.NotifyQueue(reader.Byte() % 5 - 1);
                    break;

                case 6:
                    // A reset and a new negotiation: the features FEATURES_OK froze before are free again.
                    BringUp(transport, reader.UInt64(), reader.Byte());
                    frozenFeatures = ulong.MaxValue;
                    break;

                default:
                    // The guest's own memory: rings and descriptors anywhere in the first 64 KiB.
                    memory.Write(reader.UInt16() & ~7u, reader.UInt64());
                    break;
            }

            frozenFeatures = Check(transport, device, reset, reset ? ulong.MaxValue : frozenFeatures);
        }
    }

    /// <summary>An offset in the window (sometimes anywhere at all) and a width of 0 to 8 bytes.</summary>
    private static (ulong Offset, int Width) Access(ref FuzzInput reader)
    {
        byte how = reader.Byte();
        ulong offset = (how & 0x80) != 0 ? reader.UInt64() : reader.UInt16() % 0x140u;
        return (offset, (how & 0x0f) % 9);
    }

    /// <summary>Checks the invariants; returns the accepted features frozen by FEATURES_OK (all ones before it).</summary>
    private static ulong Check(MmioTransport transport, FakeDevice device, bool reset, ulong frozenFeatures)
    {
        InvariantViolation.Check(Read32(transport, RegMagic) == MmioTransport.MagicValue, "MagicValue changed");
        InvariantViolation.Check(Read32(transport, RegVersion) == MmioTransport.Version, "Version changed");
        InvariantViolation.Check(Read32(transport, RegDeviceId) == (uint)device.DeviceType, "DeviceID changed");
        InvariantViolation.Check(Read32(transport, RegVendorId) == MmioTransport.VendorId, "VendorID changed");

        var status = (VirtioDeviceStatus)Read32(transport, RegStatus);
        InvariantViolation.Check(!status.HasFlag(VirtioDeviceStatus.Driver) || status.HasFlag(VirtioDeviceStatus.Acknowledge), $"status {status}: DRIVER without ACKNOWLEDGE");
        InvariantViolation.Check(!status.HasFlag(VirtioDeviceStatus.FeaturesOk) || status.HasFlag(VirtioDeviceStatus.Driver), $"status {status}: FEATURES_OK without DRIVER");
        InvariantViolation.Check(!status.HasFlag(VirtioDeviceStatus.DriverOk) || status.HasFlag(VirtioDeviceStatus.FeaturesOk), $"status {status}: DRIVER_OK without FEATURES_OK");
        InvariantViolation.Check(((uint)status & ~0xcfu) == 0, $"status {status}: bits the spec does not define");
        InvariantViolation.Check(device.Active == status.HasFlag(VirtioDeviceStatus.DriverOk), $"status {status}, but the device is {(device.Active ? "" : "not ")}active");

        if (reset)
        {
            InvariantViolation.Check(status == VirtioDeviceStatus.None, $"status reads {status} after a reset");
            InvariantViolation.Check(Read32(transport, RegInterruptStatus) == 0, "InterruptStatus is not 0 after a reset");
            for (uint q = 0; q < FakeDevice.Queues + 1; q++)
            {
                Write32(transport, RegQueueSel, q);
                InvariantViolation.Check(Read32(transport, RegQueueReady) == 0, $"queue {q} reads ready after a reset");
            }

            Write32(transport, RegQueueSel, 0);
        }

        if (!status.HasFlag(VirtioDeviceStatus.FeaturesOk))
        {
            return ulong.MaxValue;
        }

        ulong accepted = transport.Save().DriverFeatures;
        InvariantViolation.Check((accepted & ~transport.OfferedFeatures) == 0, $"FEATURES_OK with features 0x{accepted:x} the device did not offer");
        InvariantViolation.Check((accepted & VirtioFeatures.Version1) != 0, "FEATURES_OK without VERSION_1");
        InvariantViolation.Check(frozenFeatures == ulong.MaxValue || frozenFeatures == accepted, $"the accepted features changed from 0x{frozenFeatures:x} to 0x{accepted:x} after FEATURES_OK");
        InvariantViolation.Check(!device.Active || device.Negotiated == accepted, "the device was activated with other features than the accepted ones");
        return accepted;
    }

    /// <summary>§3.1.1 with the fuzzer's features and queue sizes; rings in the first 64 KiB.</summary>
    private static void BringUp(MmioTransport transport, ulong accept, byte sizes)
    {
        Write32(transport, RegStatus, 0);
        Write32(transport, RegStatus, 3);
        for (uint half = 0; half < 2; half++)
        {
            Write32(transport, 0x014, half);
            uint offered = Read32(transport, 0x010);
            Write32(transport, 0x024, half);
            Write32(transport, 0x020, offered & (uint)(accept >> (int)(32 * half)));
        }

        Write32(transport, RegStatus, 0xb);
        for (uint q = 0; q < FakeDevice.Queues; q++)
        {
            Write32(transport, RegQueueSel, q);
            Write32(transport, 0x038, 1u << ((sizes >> (int)(2 * q)) & 3));
            Write32(transport, 0x080, 0x1000 * (3 * q + 1));
            Write32(transport, 0x090, 0x1000 * (3 * q + 2));
            Write32(transport, 0x0a0, 0x1000 * (3 * q + 3));
            Write32(transport, RegQueueReady, 1);
        }

        Write32(transport, RegStatus, 0xf);
    }

    private static void Write32(MmioTransport transport, ulong offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        transport.Write(offset, bytes);
    }

    private static uint Read32(MmioTransport transport, ulong offset)
    {
        Span<byte> bytes = stackalloc byte[4];
        transport.Read(offset, bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>Three queues, feature bits 0, 5 and 40, a 24-byte configuration whose bytes 8-15 the driver may write.</summary>
    private sealed class FakeDevice : IVirtioDevice
    {
        public const int Queues = 3;

        public byte[] Config { get; } = new byte[24];

        public bool Active { get; private set; }

        public ulong Negotiated { get; private set; }

        public VirtioDeviceType DeviceType => VirtioDeviceType.Entropy;

        public ulong OfferedFeatures => 1UL << 0 | 1UL << 5 | 1UL << 40;

        public int QueueCount => Queues;

        public ushort MaxQueueSize => 8;

        public void ReadConfig(uint offset, Span<byte> data)
        {
            data.Clear();
            if (offset < Config.Length)
            {
                Config.AsSpan((int)offset, Math.Min(data.Length, Config.Length - (int)offset)).CopyTo(data);
            }
        }

        public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (offset + (ulong)i is >= 8 and < 16)
                {
                    Config[offset + i] = data[i];
                }
            }
        }

        public void Activate(ulong negotiatedFeatures)
        {
            InvariantViolation.Check(!Active, "the device was activated twice without a reset");
            (Active, Negotiated) = (true, negotiatedFeatures);
        }

        public void Reset() => Active = false;

        public void ProcessQueue(int queueIndex, VirtQueue queue)
        {
            InvariantViolation.Check(Active, $"queue {queueIndex} was served while the device was not active");
            InvariantViolation.Check(queueIndex is >= 0 and < Queues, $"queue {queueIndex} does not exist");
            for (int i = 0; i < 16 && queue.TryPop(out DescriptorChain chain); i++)
            {
                queue.AddUsed(chain.HeadIndex, 0);
            }
        }
    }

    private sealed class NoInterrupt : IInterruptLine
    {
        public uint Gsi => 5;

        public void Trigger()
        {
        }
    }
}
