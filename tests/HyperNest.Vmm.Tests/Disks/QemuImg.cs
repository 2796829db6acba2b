using System.Diagnostics;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// qemu-img and qemu-io (Debian's qemu-utils), the test oracle for disk formats: they write images HyperNest reads,
/// and check, compare and convert the images HyperNest writes. A test that needs them calls <see cref="SkipUnlessAvailable"/>.
/// </summary>
internal static class QemuImg
{
    private static readonly Lazy<bool> Available = new(() => Exists("qemu-img") && Exists("qemu-io"));

    public static void SkipUnlessAvailable() =>
        Skip.IfNot(Available.Value, "qemu-img and qemu-io (Debian package qemu-utils) are not installed: they are the qcow2 test oracle");

    /// <summary>Runs qemu-img; returns its exit code and output (stdout then stderr).</summary>
    public static (int Code, string Output) Run(params string[] arguments) => Execute("qemu-img", arguments);

    /// <summary>Runs qemu-img and fails the test unless it exits 0.</summary>
    public static string Ok(params string[] arguments)
    {
        (int code, string output) = Run(arguments);
        Assert.True(code == 0, $"qemu-img {string.Join(' ', arguments)} exited {code}: {output}");
        return output;
    }

    /// <summary>Runs qemu-io commands (e.g. <c>write -P 0xab 0 64k</c>) on a qcow2 image.</summary>
    public static void Io(string path, params string[] commands)
    {
        string[] arguments = ["-f", "qcow2", .. commands.SelectMany(c => new[] { "-c", c }), path];
        (int code, string output) = Execute("qemu-io", arguments);
        Assert.True(code == 0 && !output.Contains("error", StringComparison.OrdinalIgnoreCase), $"qemu-io {string.Join(' ', arguments)} exited {code}: {output}");
    }

    /// <summary>The disk content of <paramref name="path"/> as qemu sees it (qemu-img convert -O raw).</summary>
    public static byte[] ContentOf(string path, string format = "qcow2")
    {
        string raw = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $"content-{Guid.NewGuid():N}.raw");
        try
        {
            Ok("convert", "-f", format, "-O", "raw", path, raw);
            return File.ReadAllBytes(raw);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    /// <summary>Asserts that qemu-img check finds no errors and no leaks in <paramref name="path"/>.</summary>
    public static void AssertConsistent(string path)
    {
        (int code, string output) = Run("check", "-f", "qcow2", path);
        Assert.True(code == 0, $"qemu-img check {path} exited {code} (2: corrupt, 3: leaks): {output}");
    }

    /// <summary>Asserts that qemu-img compare finds the two images' contents identical.</summary>
    public static void AssertIdentical(string first, string firstFormat, string second, string secondFormat)
    {
        (int code, string output) = Run("compare", "-f", firstFormat, "-F", secondFormat, first, second);
        Assert.True(code == 0, $"qemu-img compare {first} {second} exited {code}: {output}");
    }

    private static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(System.IO.Path.Combine(d, tool)));

    private static (int Code, string Output) Execute(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
