namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>Ethernet frames and virtio_net_hdr_v1 headers for tests, built from the spec's layout.</summary>
internal static class Frames
{
    public const int HeaderSize = 12;

    /// <summary>A frame of <paramref name="length"/> bytes to <paramref name="destination"/>, its payload a pattern.</summary>
    public static byte[] Ethernet(int length, byte[] destination, byte seed = 1)
    {
        byte[] frame = new byte[length];
        destination.CopyTo(frame, 0);
        byte[] source = [0x02, 0, 0, 0, 0, seed];
        source.CopyTo(frame, 6);
        frame[12] = 0x08;
        for (int i = 14; i < length; i++)
        {
            frame[i] = (byte)((i * 7) + seed);
        }

        return frame;
    }

    /// <summary>struct virtio_net_hdr_v1: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers.</summary>
    public static byte[] Header(byte flags = 0, byte gsoType = 0, ushort gsoSize = 0, ushort csumStart = 0, ushort csumOffset = 0, ushort numBuffers = 0)
    {
        byte[] header = new byte[HeaderSize];
        header[0] = flags;
        header[1] = gsoType;
        BitConverter.TryWriteBytes(header.AsSpan(4), gsoSize);
        BitConverter.TryWriteBytes(header.AsSpan(6), csumStart);
        BitConverter.TryWriteBytes(header.AsSpan(8), csumOffset);
        BitConverter.TryWriteBytes(header.AsSpan(10), numBuffers);
        return header;
    }
}
