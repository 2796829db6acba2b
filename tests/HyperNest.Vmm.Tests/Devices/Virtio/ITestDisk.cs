namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>A disk image file a test attaches, and a reader of its disk content that does not go through HyperNest.</summary>
internal interface ITestDisk : IDisposable
{
    string Path { get; }

    /// <summary>The disk's bytes [offset, offset + length), as the file holds them now.</summary>
    byte[] Read(long offset, int length);
}
