using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm;

/// <summary>Changing the image behind a disk while the VM is paused (checkpoints: a new overlay, a merge).</summary>
public sealed partial class VirtualMachine
{
    /// <summary>
    /// Puts <paramref name="replacement"/> behind disk <paramref name="index"/> (in <see cref="VmConfig.Disks"/>
    /// order) while the VM is paused: the current image is flushed and closed (releasing its locks, so
    /// <paramref name="whileClosed"/> may open its files: make an overlay on it, commit into its backing file), then
    /// the replacement opens and <see cref="Config"/> names it. The guest sees the same disk: the replacement must
    /// have its capacity and writability. When <paramref name="whileClosed"/> or the opening fails, the disk's own
    /// image opens again and the error is thrown: the VM is as it was.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">There is no disk <paramref name="index"/>.</exception>
    /// <exception cref="DiskException">The replacement cannot be served (the current image is back).</exception>
    public void ReplaceDisk(int index, DiskConfig replacement, Action? whileClosed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Config.Disks.Count);
        var block = (Block)_virtio.Where(v => v.Device is Block).ElementAt(index).Device;
        DiskConfig current = Config.Disks[index];
        block.CloseImage();
        try
        {
            whileClosed?.Invoke();
            block.OpenImage(replacement);
        }
        catch
        {
            block.OpenImage(current);
            throw;
        }

        Config = Config with { Disks = [.. Config.Disks.Select((d, i) => i == index ? replacement : d)] };
    }
}
