using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-blk (virtio 1.2 §5.2) over a qcow2 image: 256 KiB with 512-byte clusters (so a few writes allocate data
/// clusters and L2 tables, and grow the refcounts), made once by <see cref="Qcow2Image.Create"/> and copied afresh
/// under /dev/shm before every run. The input is the <see cref="BlockTarget"/>'s: read-only bit, then a
/// <see cref="VirtioGuest"/> program with well-shaped requests as operation 7. Checked beyond the driver's ring
/// invariants and <see cref="BlockRequests"/>' checks (status, capacity, read-only, every read that got OK returns
/// what the guest wrote, zeros elsewhere): after the run the image, opened again, reads back what the guest wrote.
/// </summary>
public sealed class BlockQcow2Target : IFuzzTarget
{
    private const int VirtualSize = 256 * 1024;
    private const int Sectors = VirtualSize / Block.SectorSize;

    [ThreadStatic]
    private static string? s_path;

    [ThreadStatic]
    private static byte[]? s_template, s_model, s_readBack;

    public string Name => "virtio-blk-qcow2";

    public string Description => "block requests on a qcow2 image; status OK/IOERR/UNSUPP, what the guest wrote it reads back, before and after reopening";

    public void Run(ReadOnlySpan<byte> input)
    {
        string path = s_path ??= ScratchFolder.File("blk.qcow2");
        byte[] template = s_template ??= Template(path);
        byte[] model = s_model ??= new byte[VirtualSize];
        byte[] readBack = s_readBack ??= new byte[VirtualSize];
        Array.Clear(model);
        bool[] unknown = new bool[Sectors];
        var reader = new FuzzInput(input);
        bool readOnly = reader.Bool();
        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(file, template, 0);
        }

        bool modelHolds;
        using (var block = new Block(path, readOnly, format: DiskFormat.Qcow2))
        {
            var requests = new BlockRequests(block, VirtioGuest.FreshMemory(), model, unknown);
            requests.Run(ref reader);
            modelHolds = requests.ModelHolds;
        }

        if (modelHolds)
        {
            using var image = Qcow2Image.Open(path, readOnly: true);
            image.Read(readBack, 0);
            BlockRequests.CheckImage(readBack, model, unknown);
        }
    }

    private static byte[] Template(string path)
    {
        File.Delete(path);
        Qcow2Image.Create(path, VirtualSize, clusterSize: 512);
        byte[] template = File.ReadAllBytes(path);
        File.Delete(path);
        return template;
    }
}
