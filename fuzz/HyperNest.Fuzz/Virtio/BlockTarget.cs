using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-blk (virtio 1.2 §5.2) over a raw image: 64 KiB and 200 bytes (a partial last sector the guest never sees)
/// in a file in the process's scratch folder (/dev/shm), written afresh with a known pattern before every run. The input's first byte says
/// whether the disk is read-only (bit 0); the rest is a <see cref="VirtioGuest"/> program whose operation 7 is a
/// well-shaped request (<see cref="BlockRequests"/>: in, out, flush, get-id, unknown types, any sector, data pieces
/// of any length). Checked beyond the driver's ring invariants and <see cref="BlockRequests"/>' status and model
/// checks: after the run the file has its length (no write landed past the capacity), its sectors are what the
/// guest's writes left there, and, read-only, it still holds its pattern, the partial tail included.
/// </summary>
public sealed class BlockTarget : IFuzzTarget
{
    private const int ImageLength = 64 * 1024 + 200;
    private const int Sectors = ImageLength / Block.SectorSize;

    [ThreadStatic]
    private static string? s_path;

    [ThreadStatic]
    private static byte[]? s_pattern, s_model, s_readBack;

    public string Name => "virtio-blk";

    public string Description => "block requests on a raw image; status OK/IOERR/UNSUPP, reads and the file match the writes, read-only and capacity hold";

    public void Run(ReadOnlySpan<byte> input)
    {
        string path = s_path ??= ScratchFolder.File("blk.img");
        byte[] pattern = s_pattern ??= Pattern();
        byte[] model = s_model ??= new byte[ImageLength];
        byte[] readBack = s_readBack ??= new byte[ImageLength + 1];
        pattern.CopyTo(model, 0);
        bool[] unknown = new bool[Sectors];
        var reader = new FuzzInput(input);
        bool readOnly = reader.Bool();
        using (var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, ImageLength);
            RandomAccess.Write(file, pattern, 0);
        }

        bool modelHolds;
        using (var block = new Block(path, readOnly))
        {
            var requests = new BlockRequests(block, VirtioGuest.FreshMemory(), model, unknown);
            requests.Run(ref reader);
            modelHolds = requests.ModelHolds;
        }

        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
        {
            int length = RandomAccess.Read(file, readBack, 0);
            InvariantViolation.Check(length == ImageLength, $"the image is {length} bytes after the run, not {ImageLength}: a write landed past the disk");
            InvariantViolation.Check(!readOnly || readBack.AsSpan(0, ImageLength).SequenceEqual(pattern), "a read-only image changed");
            InvariantViolation.Check(readBack.AsSpan(Sectors * Block.SectorSize, ImageLength % Block.SectorSize).SequenceEqual(pattern.AsSpan(Sectors * Block.SectorSize)),
                "the partial sector at the end of the image, which the guest cannot reach, changed");
            if (modelHolds)
            {
                BlockRequests.CheckImage(readBack, model, unknown);
            }
        }
    }

    private static byte[] Pattern()
    {
        byte[] pattern = new byte[ImageLength];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)((i * 131) ^ (i >> 9));
        }

        return pattern;
    }
}
