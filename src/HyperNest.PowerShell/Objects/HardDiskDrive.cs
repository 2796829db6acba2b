using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Get-VMHardDiskDrive writes (Hyper-V's HardDiskDrive). HyperNest attaches raw images as virtio-blk devices:
/// one virtio controller, the location is the drive's order.
/// </summary>
public sealed class HardDiskDrive
{
    public const string VirtioControllerType = "Virtio";

    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required string Path { get; init; }

    public string ControllerType => VirtioControllerType;

    public int ControllerNumber => 0;

    public required int ControllerLocation { get; init; }

    public required bool ReadOnly { get; init; }

    public string Name => $"Hard Drive on {ControllerType} controller number {ControllerNumber} at location {ControllerLocation}";

    public static HardDiskDrive[] AllOf(VmInfo vm) =>
    [
        .. vm.Configuration.HardDrives.Select((disk, index) => new HardDiskDrive
        {
            VMName = vm.Name,
            VMId = vm.Id,
            Path = disk.Path,
            ControllerLocation = index,
            ReadOnly = disk.ReadOnly,
        }),
    ];

    public override string ToString() => Path;
}
