namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>A raw disk image in the temp folder whose byte at offset i is <see cref="PatternAt"/>(i); deleted on dispose.</summary>
internal sealed class TempDiskImage : ITestDisk
{
    public TempDiskImage(long length)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hypernest-virtio-{Guid.NewGuid():N}.img");
        var content = new byte[length];
        for (long i = 0; i < length; i++)
        {
            content[i] = PatternAt(i);
        }

        File.WriteAllBytes(Path, content);
    }

    public string Path { get; }

    public static byte PatternAt(long offset) => (byte)((offset * 7) + (offset / 512));

    public static byte[] Pattern(long offset, int length) => [.. Enumerable.Range(0, length).Select(i => PatternAt(offset + i))];

    public byte[] Read(long offset, int length)
    {
        using var file = File.OpenHandle(Path);
        var data = new byte[length];
        RandomAccess.Read(file, data, offset);
        return data;
    }

    public void Dispose() => File.Delete(Path);
}
