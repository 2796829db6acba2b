using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>Committing an overlay into its backing file (merging a checkpoint into its parent).</summary>
public sealed partial class Qcow2Image
{
    /// <summary>
    /// Writes every cluster the overlay at <paramref name="overlayPath"/> holds itself (data, or zeros for a zero
    /// cluster) into its backing file (raw or qcow2; a qcow2 backing file allocates as any write does), then flushes
    /// it: afterwards the backing file reads exactly as the overlay does. The overlay is left as it was (the caller
    /// deletes it). Both files must be unused by anything else (the backing file is opened for writing).
    /// Throws <see cref="DiskException"/> when the overlay has no backing file, or is larger than it.
    /// </summary>
    public static void Commit(string overlayPath)
    {
        using Qcow2Image overlay = Open(overlayPath, readOnly: true, [], openBacking: false);
        if (overlay.BackingFilePath is not { } backingPath)
        {
            throw new DiskException(overlayPath, "has no backing file to commit into");
        }

        IDiskImage backing;
        try
        {
            backing = DiskImage.Open(backingPath, overlay.BackingFormat, readOnly: false);
        }
        catch (DiskException e)
        {
            throw new DiskException(overlayPath, $"backing file '{e.Path}': {e.Reason}", e);
        }

        using (backing)
        {
            if (overlay.VirtualSize > backing.VirtualSize)
            {
                throw new DiskException(overlayPath, $"is larger ({overlay.VirtualSize} bytes) than its backing file '{backingPath}' ({backing.VirtualSize} bytes); HyperNest does not grow a backing file on commit");
            }

            var buffer = new byte[overlay.ClusterSize];
            foreach (long cluster in overlay._map.AllocatedClusters())
            {
                long start = cluster * overlay.ClusterSize;
                int length = (int)Math.Min(overlay.ClusterSize, overlay.VirtualSize - start);
                if (length <= 0)
                {
                    continue;
                }

                overlay.Read(buffer.AsSpan(0, length), start);
                backing.Write(buffer.AsSpan(0, length), start);
            }

            backing.Flush();
        }
    }
}
