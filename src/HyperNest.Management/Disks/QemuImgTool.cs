using HyperNest.Emulation;

namespace HyperNest.Management.Disks;

/// <summary>
/// qemu-img (Debian's qemu-utils), which converts to and from formats HyperNest does not write itself (VHDX, VHD)
/// and between raw and qcow2. Every call names the input format: an image's content never chooses how it is read.
/// </summary>
internal static class QemuImgTool
{
    public const string Missing = "qemu-img is not installed: install Debian's qemu-utils (apt-get install qemu-utils)";

    /// <summary>qemu-img's name for <paramref name="format"/> (<c>-f</c>, <c>-O</c>).</summary>
    public static string FormatName(VhdFormat format) => format switch
    {
        VhdFormat.Qcow2 => "qcow2",
        VhdFormat.VHDX => "vhdx",
        VhdFormat.VHD => "vpc",
        _ => "raw",
    };

    /// <summary>Runs qemu-img; its stdout, or a <see cref="VirtualHardDiskException"/> with its last error line.</summary>
    public static string Run(string what, params string[] arguments)
    {
        string tool = ProcessRunner.FindOnPath("qemu-img") ?? throw new VirtualHardDiskException(Missing, VirtualHardDiskProblem.ToolMissing);
        ProcessRunner.Result result = ProcessRunner.Run(tool, arguments);
        if (result.Succeeded)
        {
            return result.StandardOutput;
        }

        string error = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {result.ExitCode}";
        throw new VirtualHardDiskException($"{what}: qemu-img says: {error.Replace("qemu-img: ", "", StringComparison.Ordinal)}", VirtualHardDiskProblem.ToolFailed);
    }
}
