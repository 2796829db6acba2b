using System.Management.Automation;
using HyperNest.Management.Disks;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Creates one or more new virtual hard disks.</summary>
/// <remarks>
/// <para>A dynamic disk (the default) is a qcow2 image that grows as the guest writes; a fixed disk is a raw file with
/// all its space allocated at once; a differencing disk is a qcow2 image holding only what changed from its parent
/// (a raw or qcow2 disk, named by its full path). As in Hyper-V the file name's extension sets the format, so a
/// dynamic or differencing disk's name ends in .qcow2 and a fixed disk's does not (.img, .raw); HyperNest does not
/// write VHDX or VHD files (Convert-VHD turns them into qcow2).</para>
/// <para>The size is in bytes and must be a multiple of 512 (the guest's sector size). A differencing disk takes its
/// parent's size unless a larger one is given. -BlockSizeBytes sets the qcow2 cluster size, a power of two from 512
/// bytes to 2 MiB (64 KiB by default). Refused in one line, leaving no file: a file that already exists, a missing
/// folder or parent, a name that does not match the type, a bad size.</para>
/// </remarks>
/// <example>
/// <code>New-VHD -Path W.qcow2 -SizeBytes 10GB</code>
/// <para>Creates a 10 GB dynamic disk, an empty qcow2 image of a few hundred kilobytes.</para>
/// </example>
/// <example>
/// <code>New-VHD -Path child.qcow2 -ParentPath base.qcow2 -Differencing</code>
/// <para>Creates a differencing disk on base.qcow2: the guest sees base's content and its writes go to child.qcow2.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "VHD", SupportsShouldProcess = true, DefaultParameterSetName = DynamicSet)]
[OutputType(typeof(Objects.VirtualHardDisk))]
public sealed class NewVHDCommand : VhdCmdlet
{
    public const string DynamicSet = "DynamicWithoutSource";
    public const string FixedSet = "FixedWithoutSource";
    public const string DifferencingSet = "Differencing";

    /// <summary>The file of each new disk; a relative path is from the current location.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The disk's size in bytes as the guest sees it, a multiple of 512; for a differencing disk, at least its parent's.</summary>
    [Parameter(ParameterSetName = DynamicSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = FixedSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = DifferencingSet, Position = 2)]
    public ulong SizeBytes { get; set; }

    /// <summary>Makes a dynamic disk (a qcow2 image that grows as written): the default.</summary>
    [Parameter(ParameterSetName = DynamicSet)]
    public SwitchParameter Dynamic { get; set; }

    /// <summary>Makes a fixed disk: a raw file with all its space allocated.</summary>
    [Parameter(ParameterSetName = FixedSet, Mandatory = true)]
    public SwitchParameter Fixed { get; set; }

    /// <summary>Makes a differencing disk on the disk -ParentPath names.</summary>
    [Parameter(ParameterSetName = DifferencingSet)]
    public SwitchParameter Differencing { get; set; }

    /// <summary>The parent of a differencing disk: a raw or qcow2 disk.</summary>
    [Parameter(ParameterSetName = DifferencingSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string ParentPath { get; set; } = string.Empty;

    /// <summary>The qcow2 cluster size in bytes: a power of two from 512 bytes to 2 MiB (64 KiB when not given); a fixed disk has none.</summary>
    [Parameter]
    public uint BlockSizeBytes { get; set; }

    protected override void ProcessRecord()
    {
        VhdType type = ParameterSetName switch
        {
            FixedSet => VhdType.Fixed,
            DifferencingSet => VhdType.Differencing,
            _ => VhdType.Dynamic,
        };
        foreach (string path in Path)
        {
            string full = FullPath(path);
            if (!ShouldProcess(full, $"Create {type.ToString().ToLowerInvariant()} virtual hard disk"))
            {
                continue;
            }

            WriteDisk(full, () => Disks.New(new NewVhdOptions
            {
                Path = full,
                Type = type,
                SizeBytes = MyInvocation.BoundParameters.ContainsKey(nameof(SizeBytes)) ? Bytes(SizeBytes) : null,
                ParentPath = type == VhdType.Differencing ? FullPath(ParentPath) : null,
                BlockSizeBytes = MyInvocation.BoundParameters.ContainsKey(nameof(BlockSizeBytes)) ? BlockSizeBytes : null,
            }));
        }
    }

    /// <summary>A size past what a file can be is a bad size like any other (the manager's message says so).</summary>
    internal static long Bytes(ulong size) => size > long.MaxValue ? -1 : (long)size;
}
