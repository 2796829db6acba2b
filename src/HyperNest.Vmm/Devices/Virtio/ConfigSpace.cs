namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Reads of a device configuration space held as bytes (virtio 1.2 §4.2.2: the driver may read any width).</summary>
internal static class ConfigSpace
{
    /// <summary>Copies what <paramref name="config"/> holds from <paramref name="offset"/> on; beyond it reads as zero.</summary>
    public static void Read(ReadOnlySpan<byte> config, uint offset, Span<byte> data)
    {
        data.Clear();
        if (offset < config.Length)
        {
            ReadOnlySpan<byte> available = config[(int)offset..];
            available[..Math.Min(available.Length, data.Length)].CopyTo(data);
        }
    }
}
