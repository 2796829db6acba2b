using HyperNest.Kvm;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-blk (virtio 1.2 §5.2) over a raw image file: one request queue; reads, writes, flushes and the serial id.
/// A request is a 16-byte device-readable header (type, reserved, sector), the data, and a device-writable status
/// byte at the very end (§5.2.6). Data moves straight between the file and guest RAM, without copies or
/// allocations. Anything wrong with a request fails that request with VIRTIO_BLK_S_IOERR, or, when not even the
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

    private readonly SafeFileHandle _file;
    private readonly byte[] _config = new byte[ConfigSize];
    private readonly byte[] _id = new byte[IdBytes];

    /// <summary>
    /// Whether the driver negotiated VIRTIO_BLK_F_FLUSH. Without it Linux assumes there is no write cache, so every
    /// write is made durable before it completes.
    /// </summary>
    private bool _driverFlushes;

    /// <summary>Opens the image; throws <see cref="DiskException"/> if it is missing or cannot be opened.</summary>
    public Block(string path, bool readOnly = false, string? serial = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        serial ??= string.Empty;
        if (serial.Length > IdBytes || !Ascii.IsValid(serial))
        {
            throw new DiskException(path, $"serial '{serial}' is not at most {IdBytes} ASCII characters (virtio 1.2 5.2.6: the device ID is {IdBytes} bytes)");
        }

        Encoding.ASCII.GetBytes(serial, _id);
        _file = Open(path, readOnly);
        Path = path;
        IsReadOnly = readOnly;
        Serial = serial;
        // A block device (a disk passed into the emulated host) has no st_size: FileSize seeks to its end.
        CapacitySectors = (ulong)FileSize.Of(_file) / SectorSize;

        BinaryPrimitives.WriteUInt64LittleEndian(_config.AsSpan(ConfigCapacity), CapacitySectors);

        // Header and status take a descriptor each, the rest of a chain can be data (as QEMU does).
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(ConfigSegmentMax), QueueSize - 2u);
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(ConfigBlockSize), SectorSize);
    }

    public string Path { get; }

    public bool IsReadOnly { get; }

    public string Serial { get; }

    /// <summary>Disk size in 512-byte sectors; a partial sector at the end of the image is not exposed.</summary>
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

    public void Dispose() => _file.Dispose();

    private static SafeFileHandle Open(string path, bool readOnly)
    {
        if (!File.Exists(path))
        {
            throw new DiskException(path, "no such file");
        }

        try
        {
            // FileShare maps to flock on Unix: two VMs cannot both write one image.
            return readOnly
                ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read)
                : File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DiskException(path, readOnly ? "permission denied" : "permission denied (attach it with ,readonly?)", e);
        }
        catch (IOException e) when (Directory.Exists(path))
        {
            throw new DiskException(path, "is a directory", e);
        }
        catch (IOException e)
        {
            // The flock taken above is the usual cause: another VM (or this one) has the image open for writing.
            throw new DiskException(path, $"is in use by another VM or cannot be opened ({e.Message})", e);
        }
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
        catch (Exception e) when (e is IOException or ObjectDisposedException)
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
            ReadFully(piece, offset);
            offset += piece.Length;
        }

        written = (uint)length;
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
            RandomAccess.Write(_file, piece, offset);
            offset += piece.Length;
        }

        return _driverFlushes ? StatusOk : Flush();
    }

    private byte Flush()
    {
        if (!IsReadOnly)
        {
            RandomAccess.FlushToDisk(_file);
        }

        return StatusOk;
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

    /// <summary>Reads until <paramref name="destination"/> is full; past the end of the file reads as zeros.</summary>
    private void ReadFully(Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_file, destination, offset);
            if (read == 0)
            {
                destination.Clear();
                return;
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
