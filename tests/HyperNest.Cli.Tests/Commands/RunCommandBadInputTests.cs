using System.Buffers.Binary;
using HyperNest.Vmm.Boot;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>Every bad input to hnest run: one line on stderr naming the problem, exit code 2, no stack trace.</summary>
public sealed class RunCommandBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hnest-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Kernel_That_Is_Not_A_Kernel_Is_Refused() =>
        AssertRefused(["run", "--kernel", "/etc/hostname"], "/etc/hostname: not a Linux kernel");

    [Fact]
    public void Missing_Kernel_Is_Refused() =>
        AssertRefused(["run", "--kernel", Path.Combine(_dir, "nope")], "does not exist");

    [Fact]
    public void Kernel_That_Is_A_Directory_Is_Refused() =>
        AssertRefused(["run", "--kernel", _dir], "is a directory");

    [Fact]
    public void Elf_Vmlinux_Is_Refused_With_A_Hint() =>
        AssertRefused(["run", "--kernel", WriteFile("vmlinux", [0x7F, (byte)'E', (byte)'L', (byte)'F', .. new byte[1020]])], "use the bzImage");

    [Fact]
    public void Boot_Protocol_Older_Than_2_06_Is_Refused()
    {
        byte[] kernel = BuiltInGuest.Load();
        BinaryPrimitives.WriteUInt16LittleEndian(kernel.AsSpan(0x206), 0x0205);
        AssertRefused(["run", "--kernel", WriteFile("old", kernel)], "boot protocol 2.05 is too old");
    }

    [Fact]
    public void Initrd_That_Does_Not_Fit_In_Guest_Memory_Is_Refused()
    {
        string initrd = Path.Combine(_dir, "big.img");
        using (FileStream file = File.Create(initrd))
        {
            file.SetLength(48L << 20);
        }

        AssertRefused(["run", "--kernel", WriteFile("k", BuiltInGuest.Load()), "--initrd", initrd, "--memory", "32M"],
            "initrd of 48 MiB does not fit in guest memory of 32 MiB");
    }

    [Fact]
    public void Missing_Initrd_Is_Refused() =>
        AssertRefused(["run", "--kernel", WriteFile("k", BuiltInGuest.Load()), "--initrd", Path.Combine(_dir, "none")], "initrd");

    [Theory]
    [InlineData("12Q", "--memory '12Q' is not a size")]
    [InlineData("lots", "--memory 'lots' is not a size")]
    [InlineData("1K", "too small")]
    [InlineData("100T", "more than this host has")]
    public void Malformed_Or_Impossible_Memory_Is_Refused(string memory, string expected) =>
        AssertRefused(["run", "--memory", memory], expected);

    [Theory]
    [InlineData("0", "--cpus 0 is out of range")]
    [InlineData("100000", "--cpus 100000 is out of range")]
    public void Cpu_Count_Outside_What_KVM_Allows_Is_Refused(string cpus, string expected) =>
        AssertRefused(["run", "--cpus", cpus], expected);

    [Fact]
    public void Missing_Disk_Is_Refused() =>
        AssertRefused(["run", "--disk", Path.Combine(_dir, "disk.img")], "disk.img' does not exist");

    [Fact]
    public void Unknown_Disk_Option_Is_Refused() =>
        AssertRefused(["run", "--disk", WriteFile("d.img", new byte[512]) + ",fast"], "unknown option 'fast'");

    /// <summary>Found trying a public bug report: the message once ended in " (Parameter 'serial')".</summary>
    [Fact]
    public void A_Disk_Serial_Longer_Than_20_Characters_Is_Refused_In_The_Users_Words() =>
        AssertRefused(["run", "--disk", WriteFile("d.img", new byte[512]) + ",serial=" + new string('7', 40)],
            $"serial '{new string('7', 40)}' is not at most 20 ASCII characters (virtio 1.2 5.2.6: the device ID is 20 bytes)");

    [Fact]
    public void Missing_Kvm_Device_Is_Explained()
    {
        HnestProcess.Result result = HnestProcess.RunWithEnvironment(
            new Dictionary<string, string> { ["HYPERNEST_KVM_DEVICE"] = Path.Combine(_dir, "kvm") }, "run", "--accel", "kvm");
        AssertOneLineError(result, "does not exist: this host has no KVM");
    }

    [Fact]
    public void Kvm_Device_Without_Permission_Is_Explained()
    {
        // A read-only file stands in for /dev/kvm opened O_RDWR: as root, open() on a non-device still succeeds, so
        // use a directory, which open(O_RDWR) refuses with EISDIR - the message must still be one line.
        HnestProcess.Result result = HnestProcess.RunWithEnvironment(
            new Dictionary<string, string> { ["HYPERNEST_KVM_DEVICE"] = _dir }, "run", "--accel", "kvm");
        AssertOneLineError(result, "/dev/kvm".Length > 0 ? _dir : string.Empty);
    }

    [Fact]
    public void Unknown_Accelerator_Is_Refused() => AssertRefused(["run", "--accel", "hyperv"], "accelerator 'hyperv' is not known: use auto, kvm or emulated");

    [Theory]
    [InlineData("--disk", "{dir}/d.img,writeback")]
    [InlineData("--append", "{long}")]
    public void Bad_Input_For_The_Emulated_Host_Is_Refused_Before_It_Boots(string option, string value)
    {
        File.WriteAllBytes(Path.Combine(_dir, "d.img"), new byte[1 << 20]);
        value = value.Replace("{dir}", _dir, StringComparison.Ordinal).Replace("{long}", new string('x', 5000), StringComparison.Ordinal);

        HnestProcess.Result result = HnestProcess.Run("run", "--accel", "emulated", option, value);

        // One line and no boot: the accelerator's announcement and the image's progress come only after the checks.
        AssertOneLineError(result, option == "--disk" ? "unknown option 'writeback'" : "kernel command line is");
    }

    [Fact]
    public void Unknown_Option_Is_Refused() => AssertRefused(["run", "--frobnicate"], "--frobnicate");

    private static void AssertRefused(string[] args, string expected) => AssertOneLineError(HnestProcess.Run(args), expected);

    private static void AssertOneLineError(HnestProcess.Result result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StderrLines);
        Assert.StartsWith("hnest: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    private string WriteFile(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
