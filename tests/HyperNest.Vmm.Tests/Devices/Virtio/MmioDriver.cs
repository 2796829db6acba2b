using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>Drives an <see cref="MmioTransport"/> through its registers, in the order Linux's virtio_mmio does.</summary>
internal sealed class MmioDriver(MmioTransport transport)
{
    public uint Read(ulong offset)
    {
        Span<byte> data = stackalloc byte[4];
        transport.Read(offset, data);
        return BinaryPrimitives.ReadUInt32LittleEndian(data);
    }

    public void Write(ulong offset, uint value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        transport.Write(offset, data);
    }

    public uint Status => Read(MmioRegisters.Status);

    public ulong DeviceFeatures
    {
        get
        {
            Write(MmioRegisters.DeviceFeaturesSel, 0);
            uint low = Read(MmioRegisters.DeviceFeatures);
            Write(MmioRegisters.DeviceFeaturesSel, 1);
            return ((ulong)Read(MmioRegisters.DeviceFeatures) << 32) | low;
        }
    }

    /// <summary>ACKNOWLEDGE, DRIVER, accept <paramref name="features"/>, FEATURES_OK; true if FEATURES_OK stuck.</summary>
    public bool Negotiate(ulong features)
    {
        Write(MmioRegisters.Status, MmioRegisters.Acknowledge);
        Write(MmioRegisters.Status, MmioRegisters.Acknowledge | MmioRegisters.Driver);
        WriteDriverFeatures(features);
        Write(MmioRegisters.Status, MmioRegisters.Acknowledge | MmioRegisters.Driver | MmioRegisters.FeaturesOk);
        return (Status & MmioRegisters.FeaturesOk) != 0;
    }

    public void WriteDriverFeatures(ulong features)
    {
        Write(MmioRegisters.DriverFeaturesSel, 0);
        Write(MmioRegisters.DriverFeatures, (uint)features);
        Write(MmioRegisters.DriverFeaturesSel, 1);
        Write(MmioRegisters.DriverFeatures, (uint)(features >> 32));
    }

    public void SetUpQueue(uint index, SplitQueueDriver queue)
    {
        Write(MmioRegisters.QueueSel, index);
        Write(MmioRegisters.QueueNum, queue.Size);
        WriteAddress(MmioRegisters.QueueDescLow, queue.DescriptorTable);
        WriteAddress(MmioRegisters.QueueDriverLow, queue.DriverArea);
        WriteAddress(MmioRegisters.QueueDeviceLow, queue.DeviceArea);
        Write(MmioRegisters.QueueReady, 1);
    }

    public void DriverOk() => Write(MmioRegisters.Status, Status | MmioRegisters.DriverOk);

    /// <summary>The whole of §3.1.1 for queue 0; throws if the device refuses any step.</summary>
    public void Initialize(ulong features, SplitQueueDriver queue)
    {
        if (!Negotiate(features))
        {
            throw new InvalidOperationException("device refused FEATURES_OK");
        }

        SetUpQueue(0, queue);
        DriverOk();
        if (Status != (MmioRegisters.Acknowledge | MmioRegisters.Driver | MmioRegisters.FeaturesOk | MmioRegisters.DriverOk))
        {
            throw new InvalidOperationException($"device status 0x{Status:x} after DRIVER_OK");
        }
    }

    public void Notify(uint queue) => Write(MmioRegisters.QueueNotify, queue);

    private void WriteAddress(ulong lowRegister, ulong address)
    {
        Write(lowRegister, (uint)address);
        Write(lowRegister + 4, (uint)(address >> 32));
    }
}
