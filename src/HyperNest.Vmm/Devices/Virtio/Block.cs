using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Disks;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-blk (virtio 1.2 §5.2) over a disk image (<see cref="IDiskImage"/>: raw or qcow2): one request queue; reads,
/// writes, flushes and the serial id. A request is a 16-byte device-readable header (type, reserved, sector), the
/// data, and a device-writable status byte at the very end (§5.2.6). Data moves between the image and guest RAM one
/// guest buffer at a time, without allocations (and, for raw images and allocated qcow2 clusters, without copies). Anything wrong with a request fails that request with VIRTIO_BLK_S_IOERR, or, when not even the
/// status byte can be reached, returns it with nothing written.
/// </summary>
public sealed class Block : IVirtioDevice, IDisposable
{
    public const int SectorSize = 512;
    public const ushort QueueSize = 256;

    /// <summary>VIRTIO_BLK_ID_BYTES: the serial returned by VIRTIO_BLK_T_GET_ID, NUL-padded when shorter.</summary>
    public const int IdBytes = 20;

    // Feature bits, §5.2.3.
    public const ulong FeatureSegmentMax = 1UL << 2;
    public const ulong FeatureReadOnly = 1UL << 5;
    public const ulong FeatureBlockSize = 1UL << 6;
    public const ulong FeatureFlush = 1UL << 9;

    // Request types and status values, §5.2.6.
    public const uint RequestIn = 0, RequestOut = 1, RequestFlush = 4, RequestGetId = 8;
    public const byte StatusOk = 0, StatusIoError = 1, StatusUnsupported = 2;

    /// <summary>The request header: le32 type, le32 reserved, le64 sector.</summary>
    public const int HeaderSize = 16;

    // struct virtio_blk_config offsets (§5.2.4), up to blk_size; the rest reads as zero.
    private const int ConfigCapacity = 0, ConfigSegmentMax = 12, ConfigBlockSize = 20, ConfigSize = 24;

    private IDiskImage _image;
    private readonly byte[] _config = new byte[ConfigSize];
    private readonly byte[] _id = new byte[IdBytes];

    /// <summary>
    /// Whether the driver negotiated VIRTIO_BLK_F_FLUSH. Without it Linux assumes there is no write cache, so every
    /// write is made durable before it completes.
    /// </summary>
    private bool _driverFlushes;

    private long _bytesRead, _bytesWritten;

    /// <summary>
    /// Opens the image at <paramref name="path"/> in <paramref name="format"/> (null: by its file name, see
    /// <see cref="DiskImage"/>); throws <see cref="DiskException"/> if it is missing, cannot be opened or is refused.
    /// </summary>
    public Block(string path, bool readOnly = false, string? serial = null, DiskFormat? format = null)
        : this(CheckSerial(path, serial), DiskImage.Open(path, format, readOnly))
    {
    }

    /// <summary>Serves the disk <paramref name="config"/> describes, in its format.</summary>
    public Block(DiskConfig config)
        : this(config.Path, config.ReadOnly, config.Serial, config.Format)
    {
    }

    private Block(string serial, IDiskImage image)
    {
        Encoding.ASCII.GetBytes(serial, _id);
        _image = image;
        Serial = serial;
        CapacitySectors = (ulong)image.VirtualSize / SectorSize;

        BinaryPrimitives.WriteUInt64LittleEndian(_config.AsSpan(ConfigCapacity), CapacitySectors);

        // Header and status take a descriptor each, the rest of a chain can be data (as QEMU does).
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(ConfigSegmentMax), QueueSize - 2u);
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(ConfigBlockSize), SectorSize);
    }

    public string Path => _image.Path;

    public bool IsReadOnly => _image.IsReadOnly;

    public string Serial { get; }

    /// <summary>Bytes the guest read with successful VIRTIO_BLK_T_IN requests (read from another thread: a snapshot).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Bytes the guest wrote with successful VIRTIO_BLK_T_OUT requests.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Disk size (the image's virtual size) in 512-byte sectors; a partial sector at the end is not exposed.</summary>
    public ulong CapacitySectors { get; }

    public VirtioDeviceType DeviceType => VirtioDeviceType.Block;

    public ulong OfferedFeatures =>
        FeatureSegmentMax | FeatureBlockSize | FeatureFlush | (IsReadOnly ? FeatureReadOnly : 0);

    public int QueueCount => 1;

    public ushort MaxQueueSize => QueueSize;

    public void ReadConfig(uint offset, Span<byte> data) => ConfigSpace.Read(_config, offset, data);

    /// <summary>Nothing is writable without VIRTIO_BLK_F_CONFIG_WCE, which is not offered.</summary>
    public void WriteConfig(uint offset, ReadOnlySpan<byte> data)
    {
    }

    public void Activate(ulong negotiatedFeatures) => _driverFlushes = (negotiatedFeatures & FeatureFlush) != 0;

    public void Reset() => _driverFlushes = false;

    public void ProcessQueue(int queueIndex, VirtQueue queue)
    {
        while (queue.TryPop(out DescriptorChain chain))
        {
            queue.AddUsed(chain.HeadIndex, Execute(chain));
        }
    }

    public void Dispose() => _image.Dispose();

    /// <summary>
    /// Makes the image's writes durable and closes it, releasing its file locks (a paused device only: no queue turn
    /// may run until <see cref="OpenImage"/>). Requests meanwhile would fail with VIRTIO_BLK_S_IOERR.
    /// </summary>
    internal void CloseImage()
    {
        _image.Flush();
        _image.Dispose();
    }

    /// <summary>
    /// Serves the image <paramref name="config"/> describes from now on. It must show the guest the same disk: the
    /// same capacity and writability (the driver read both when it started). Throws <see cref="DiskException"/>.
    /// </summary>
    internal void OpenImage(DiskConfig config)
    {
        IDiskImage image = DiskImage.Open(config.Path, config.Format, config.ReadOnly);
        if ((ulong)image.VirtualSize / SectorSize != CapacitySectors || image.IsReadOnly != IsReadOnly)
        {
            image.Dispose();
            throw new DiskException(config.Path, $"is not the same disk to the guest ({image.VirtualSize} bytes{(config.ReadOnly ? ", read-only" : "")}; the device has {CapacitySectors * SectorSize} bytes{(IsReadOnly ? ", read-only" : "")})");
        }

        _image = image;
    }

    /// <summary>Serves one request; returns the bytes written into its writable buffers, status included.</summary>
    private uint Execute(in DescriptorChain chain)
    {
        if (!chain.TryGetLastWritableByte(out Span<byte> status))
        {
            return 0;
        }

        uint written = 0;
        status[0] = chain.Error == ChainError.None ? Serve(chain, out written) : StatusIoError;
        return written + 1;
    }

    private byte Serve(in DescriptorChain chain, out uint written)
    {
        written = 0;
        Span<byte> header = stackalloc byte[HeaderSize];
        if (chain.CopyFromReadable(0, header) < HeaderSize)
        {
            return StatusIoError;
        }

        uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
        ulong sector = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        long readableData = chain.ReadableLength - HeaderSize;
        long writableData = chain.WritableLength - 1;
        try
        {
            return type switch
            {
                RequestIn => ReadSectors(chain, sector, writableData, out written),
                RequestOut => WriteSectors(chain, sector, readableData),
                RequestFlush => Flush(),
                RequestGetId => GetId(chain, writableData, out written),
                _ => StatusUnsupported,
            };
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or DiskException)
        {
            written = 0;
            return StatusIoError;
        }
    }

    private byte ReadSectors(in DescriptorChain chain, ulong sector, long length, out uint written)
    {
        written = 0;
        if (!IsSectorRange(sector, length))
        {
            return StatusIoError;
        }

        long offset = (long)sector * SectorSize;
        foreach (Span<byte> piece in chain.WritableSpans(0, length))
        {
            _image.Read(piece, offset);
            offset += piece.Length;
        }

        written = (uint)length;
        Interlocked.Add(ref _bytesRead, length);
        return StatusOk;
    }

    private byte WriteSectors(in DescriptorChain chain, ulong sector, long length)
    {
        // §5.2.6.2: a write to a read-only device fails with IOERR and writes nothing.
        if (IsReadOnly || !IsSectorRange(sector, length))
        {
            return StatusIoError;
        }

        long offset = (long)sector * SectorSize;
        foreach (Span<byte> piece in chain.ReadableSpans(HeaderSize, length))
        {
            _image.Write(piece, offset);
            offset += piece.Length;
        }

        Interlocked.Add(ref _bytesWritten, length);
        return _driverFlushes ? StatusOk : Flush();
    }

    private byte Flush()
    {
        _image.Flush();
        return StatusOk;
    }

    /// <summary>The serial, or empty; refused unless it fits VIRTIO_BLK_ID_BYTES in ASCII.</summary>
    private static string CheckSerial(string path, string? serial)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        serial ??= string.Empty;
        return serial.Length <= IdBytes && Ascii.IsValid(serial)
            ? serial
            : throw new DiskException(path, $"serial '{serial}' is not at most {IdBytes} ASCII characters (virtio 1.2 5.2.6: the device ID is {IdBytes} bytes)");
    }

    private byte GetId(in DescriptorChain chain, long length, out uint written)
    {
        written = 0;
        if (length <= 0)
        {
            return StatusIoError;
        }

        written = (uint)chain.CopyToWritable(0, _id.AsSpan(0, (int)Math.Min(length, IdBytes)));
        return StatusOk;
    }

    /// <summary>Whole sectors, at least one, inside the disk, and few enough that the used length fits 32 bits.</summary>
    private bool IsSectorRange(ulong sector, long length) =>
        length > 0
        && length % SectorSize == 0
        && length < uint.MaxValue
        && sector <= CapacitySectors
        && (ulong)length / SectorSize <= CapacitySectors - sector;
}
