using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Fuzz.Disks;

/// <summary>
/// The qcow2 reader and writer (<see cref="Qcow2Image"/>, through <see cref="DiskImage.Open"/>) on an image file
/// from anywhere. Input: a 52-byte prefix, then the image file's bytes. The prefix: a mode byte (bit 0: also write
/// on a copy), four reads (offset u64 taken modulo the virtual size, length u16, clipped to the disk) and one write
/// (offset u64, length u16, fill byte). The image is opened read-only in a scratch folder that also holds
/// <c>base.raw</c> and <c>base.qcow2</c>, which a fuzzed backing name may reach; a backing name that resolves outside
/// the folder is opened without its chain (the target does not let the fuzzer open host files).
/// Allowed out: <see cref="DiskException"/> naming the image (what a start prints), from the open, or from a read or
/// write when metadata turns out corrupt (<see cref="IDiskImage.Read"/> documents it).
/// Invariants: the virtual size is the header's; the backing path is the header's name resolved against the image's
/// folder; every read equals a model of qcow2.txt's cluster mapping over the file's bytes (an L2 entry with bit 0
/// reads zeros; a data cluster reads its bytes, zeros past the end of the file; an unallocated one reads the backing
/// file up to its size, zeros after); after a write and close, the copy opens again, the written range reads back,
/// reads elsewhere are unchanged, and the backing files are untouched.
/// </summary>
public sealed class Qcow2Target : IFuzzTarget
{
    public const int PrefixLength = 1 + (Reads * 10) + 11;
    private const int Reads = 4;
    private const int BaseSize = 16 * 1024;

    private static readonly byte[] BaseContent = [.. Enumerable.Range(0, BaseSize).Select(i => (byte)((i * 31) + 7))];

    [ThreadStatic]
    private static bool t_basesMade;

    public string Name => "qcow2";

    public string Description => "qcow2 image bytes, reads and a write; reads match a cluster-map model, writes read back";

    public void Run(ReadOnlySpan<byte> input)
    {
        var prefix = new FuzzInput(input[..Math.Min(PrefixLength, input.Length)]);
        byte mode = prefix.Byte();
        var reads = new (ulong Offset, int Length)[Reads];
        for (int i = 0; i < Reads; i++)
        {
            reads[i] = (prefix.UInt64(), prefix.UInt16());
        }

        (ulong writeOffset, int writeLength, byte fill) = (prefix.UInt64(), prefix.UInt16(), prefix.Byte());
        byte[] file = input[Math.Min(PrefixLength, input.Length)..].ToArray();
        MakeBases();
        string path = ScratchFolder.File("image.qcow2");
        string copy = ScratchFolder.File("copy.qcow2");
        File.WriteAllBytes(path, file);
        File.Delete(copy);

        var model = new Qcow2Model(file);
        // A name the product refuses (a NUL in it) is opened without its chain too: it never reaches a host path.
        bool chainInside = model.BackingName is not { } name ||
            (!name.Contains('\0') && Path.GetFullPath(name, ScratchFolder.Path).StartsWith(ScratchFolder.Path + "/", StringComparison.Ordinal));
        var ranges = new List<(long Offset, byte[] Bytes)>();
        using (IDiskImage? image = Open(path, chainInside, readOnly: true))
        {
            if (image is null)
            {
                return;
            }

            Qcow2Image qcow2 = (Qcow2Image)image;
            InvariantViolation.Check(image.VirtualSize == model.VirtualSize, $"virtual size {image.VirtualSize}, the header says {model.VirtualSize}");
            string? expectedBacking = model.BackingName is { } n ? Path.GetFullPath(n, ScratchFolder.Path) : null;
            InvariantViolation.Check(qcow2.BackingFilePath == expectedBacking, $"backing file '{qcow2.BackingFilePath}', the header names '{expectedBacking}'");
            if (!chainInside)
            {
                return;
            }

            Backing? backing = Backing.For(qcow2.BackingFilePath, qcow2.BackingFormat);
            foreach ((ulong offset, int length) in reads)
            {
                if (Clip(image.VirtualSize, offset, length) is not { } range)
                {
                    continue;
                }

                byte[] bytes = new byte[range.Length];
                if (!TryRead(image, bytes, range.Offset))
                {
                    return;
                }

                model.CheckRead(bytes, range.Offset, backing);
                ranges.Add((range.Offset, bytes));
            }
        }

        if ((mode & 1) != 0 && Clip(model.VirtualSize, writeOffset, writeLength) is { } write)
        {
            WriteOnCopy(path, copy, write, fill, ranges);
        }
    }

    /// <summary>Writes a copy, closes it, opens it again: the write reads back, the rest reads as before.</summary>
    private static void WriteOnCopy(string path, string copy, (long Offset, int Length) write, byte fill, List<(long Offset, byte[] Bytes)> before)
    {
        File.Copy(path, copy, overwrite: true);
        byte[] data = new byte[write.Length];
        data.AsSpan().Fill(fill);
        using (IDiskImage? image = Open(copy, chainInside: true, readOnly: false))
        {
            if (image is null)
            {
                return;
            }

            try
            {
                image.Write(data, write.Offset);
            }
            catch (DiskException e)
            {
                CheckRefusal(e, copy);
                return;
            }
        }

        using IDiskImage reopened = DiskImage.Open(copy, DiskFormat.Qcow2, readOnly: true);
        byte[] back = new byte[write.Length];
        reopened.Read(back, write.Offset);
        InvariantViolation.Check(back.AsSpan().SequenceEqual(data), $"bytes {write.Offset}+{write.Length} written do not read back after a close");
        foreach ((long offset, byte[] bytes) in before)
        {
            if (offset + bytes.Length <= write.Offset || write.Offset + write.Length <= offset)
            {
                byte[] again = new byte[bytes.Length];
                reopened.Read(again, offset);
                InvariantViolation.Check(again.AsSpan().SequenceEqual(bytes), $"bytes {offset}+{bytes.Length} changed though the write to {write.Offset}+{write.Length} missed them");
            }
        }

        InvariantViolation.Check(File.ReadAllBytes(ScratchFolder.File("base.raw")).AsSpan().SequenceEqual(BaseContent), "a write changed the raw backing file");
        using IDiskImage baseQcow2 = DiskImage.Open(ScratchFolder.File("base.qcow2"), readOnly: true);
        byte[] baseBytes = new byte[BaseSize];
        baseQcow2.Read(baseBytes, 0);
        InvariantViolation.Check(baseBytes.AsSpan().SequenceEqual(BaseContent), "a write changed the qcow2 backing file");
    }

    private static IDiskImage? Open(string path, bool chainInside, bool readOnly)
    {
        try
        {
            return chainInside ? DiskImage.Open(path, DiskFormat.Qcow2, readOnly) : Qcow2Image.OpenWithoutBacking(path);
        }
        catch (DiskException e)
        {
            CheckRefusal(e, path);
            return null;
        }
    }

    private static bool TryRead(IDiskImage image, byte[] bytes, long offset)
    {
        try
        {
            image.Read(bytes, offset);
            return true;
        }
        catch (DiskException e)
        {
            CheckRefusal(e, image.Path);
            return false;
        }
    }

    private static void CheckRefusal(DiskException e, string path) =>
        InvariantViolation.Check(e.Path == path && e.Reason.Length > 0 && !e.Message.Contains('\n'), $"a refusal names the image in one line: \"{e.Message}\"");

    private static (long Offset, int Length)? Clip(long size, ulong offset, int length)
    {
        if (size <= 0)
        {
            return null;
        }

        long start = (long)(offset % (ulong)size);
        return (start, (int)Math.Min(length, size - start));
    }

    /// <summary>The two backing files a fuzzed name can reach, made once per thread: the same 16 KiB in each.</summary>
    private static void MakeBases()
    {
        if (t_basesMade)
        {
            return;
        }

        File.WriteAllBytes(ScratchFolder.File("base.raw"), BaseContent);
        string qcow2 = ScratchFolder.File("base.qcow2");
        File.Delete(qcow2);
        Qcow2Image.Create(qcow2, BaseSize, clusterSize: 512);
        using (IDiskImage image = DiskImage.Open(qcow2))
        {
            image.Write(BaseContent, 0);
        }

        t_basesMade = true;
    }

    /// <summary>What a backing file reads: known content when it is one of the two bases in the format it has.</summary>
    private sealed record Backing(long Size, byte[] Content)
    {
        public static Backing? For(string? path, DiskFormat? format) => (path, format) switch
        {
            (null, _) => new Backing(0, []),
            _ when path == ScratchFolder.File("base.raw") && format == DiskFormat.Raw => new Backing(BaseSize, BaseContent),
            _ when path == ScratchFolder.File("base.qcow2") && format == DiskFormat.Qcow2 => new Backing(BaseSize, BaseContent),
            _ => null,
        };
    }

    /// <summary>qcow2.txt's cluster mapping, read straight from the file's bytes: the reference reads are checked against.</summary>
    private sealed class Qcow2Model(byte[] file)
    {
        private const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00;

        public long VirtualSize => (long)U64(24);

        public string? BackingName
        {
            get
            {
                ulong offset = U64(8);
                uint length = U32(16);
                return offset == 0 || length == 0 || offset > (ulong)file.Length || length > (ulong)file.Length - offset
                    ? null
                    : System.Text.Encoding.UTF8.GetString(file, (int)offset, (int)length);
            }
        }

        private int ClusterBits => (int)U32(20);

        public void CheckRead(ReadOnlySpan<byte> read, long offset, Backing? backing)
        {
            int clusterSize = 1 << ClusterBits;
            long entries = clusterSize / 8;
            for (int done = 0; done < read.Length;)
            {
                long at = offset + done;
                long cluster = at >> ClusterBits;
                int within = (int)(at & (clusterSize - 1));
                int length = Math.Min(clusterSize - within, read.Length - done);
                ReadOnlySpan<byte> actual = read.Slice(done, length);
                ulong table = U64((ulong)U64(40) + ((ulong)(cluster / entries) * 8)) & OffsetMask;
                ulong entry = table == 0 ? 0 : U64(table + ((ulong)(cluster % entries) * 8));
                ulong host = entry & OffsetMask;
                string Where() => $"guest bytes {at}+{length} (L2 entry 0x{entry:x})";
                if ((entry & 1) != 0)
                {
                    if (actual.ContainsAnyExcept((byte)0))
                    {
                        throw new InvariantViolation($"{Where()} read non-zero from a zero cluster");
                    }
                }
                else if (host != 0)
                {
                    for (int i = 0; i < length; i++)
                    {
                        ulong b = host + (ulong)within + (ulong)i;
                        if (actual[i] != (b < (ulong)file.Length ? file[b] : 0))
                        {
                            throw new InvariantViolation($"{Where()} differ from the data cluster at {host}");
                        }
                    }
                }
                else if (backing is not null)
                {
                    for (int i = 0; i < length; i++)
                    {
                        long b = at + i;
                        if (actual[i] != (b < Math.Min(backing.Size, VirtualSize) ? backing.Content[b] : 0))
                        {
                            throw new InvariantViolation($"{Where()} differ from the backing file");
                        }
                    }
                }

                done += length;
            }
        }

        /// <summary>A big-endian value at <paramref name="offset"/>; bytes past the end of the file read as zeros, as the product's reads do.</summary>
        private ulong U64(ulong offset) => BinaryPrimitives.ReadUInt64BigEndian(Padded(offset, 8));

        private uint U32(ulong offset) => BinaryPrimitives.ReadUInt32BigEndian(Padded(offset, 4));

        private byte[] Padded(ulong offset, int length)
        {
            byte[] bytes = new byte[length];
            if (offset < (ulong)file.Length)
            {
                file.AsSpan((int)offset, (int)Math.Min((ulong)length, (ulong)file.Length - offset)).CopyTo(bytes);
            }

            return bytes;
        }
    }
}
