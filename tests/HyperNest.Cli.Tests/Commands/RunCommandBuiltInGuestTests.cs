namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// hnest run with the built-in guest, on the accelerator auto picks here: this host's /dev/kvm, or the emulated host
/// where there is none (the same behaviour is expected of both).
/// </summary>
public sealed class RunCommandBuiltInGuestTests
{
    [Theory]
    [InlineData(1, "512M", "1 vCPU(s), 512 MiB RAM")]
    [InlineData(2, "512M", "2 vCPU(s), 512 MiB RAM")]
    [InlineData(4, "1G", "4 vCPU(s), 1024 MiB RAM")]
    public void Built_In_Guest_Reports_Its_vCPUs_And_Memory_Then_Powers_Off(int cpus, string memory, string banner)
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--cpus", cpus.ToString(System.Globalization.CultureInfo.InvariantCulture), "--memory", memory);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"HyperNest built-in guest: {banner}", result.Stdout);
        Assert.All(result.StderrLines, AcceleratorNotices.AssertIsNotice);
    }

    [Fact]
    public void Emulated_Accelerator_Runs_The_Built_In_Guest_As_Kvm_Does()
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--accel", "emulated", "--cpus", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("HyperNest built-in guest: 2 vCPU(s), 512 MiB RAM", result.Stdout);
        // Asked for by name, the emulated host is not announced: only the image's progress (first use) may show.
        Assert.DoesNotContain(result.StderrLines, l => l.StartsWith("hnest: accelerator", StringComparison.Ordinal));
        Assert.All(result.StderrLines, AcceleratorNotices.AssertIsNotice);
    }

    [Fact]
    public void Sigterm_Presses_The_Power_Button_And_The_Guest_Powers_Off()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "hnest.dll"), "run", "--append", "hnest.hold=1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var hnest = System.Diagnostics.Process.Start(start)!;
        try
        {
            Assert.Contains("HyperNest built-in guest", hnest.StandardOutput.ReadLine());
            Assert.Contains("holding", hnest.StandardOutput.ReadLine());
            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", hnest.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            Assert.True(hnest.WaitForExit(TimeSpan.FromSeconds(20)), "hnest did not end after SIGTERM");
            Assert.Equal(0, hnest.ExitCode);
            Assert.Contains("power button pressed", hnest.StandardOutput.ReadToEnd());
        }
        finally
        {
            if (!hnest.HasExited)
            {
                hnest.Kill();
            }
        }
    }

    [Fact]
    public void A_Reboot_Ends_The_Run_With_Exit_Code_3()
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--append", "hnest.reboot=1");

        Assert.Equal(3, result.ExitCode);
        Assert.Single(Banners(result.Stdout));
        Assert.Contains("rebooting (hnest.reboot=1)", result.Stdout);
    }

    [Fact]
    public void On_Reboot_Restart_Boots_The_Guest_Again_Until_A_Reboot_Loop_Ends_It_With_Exit_Code_3()
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--append", "hnest.reboot=1", "--on-reboot", "restart");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(5, Banners(result.Stdout).Length);
        Assert.Contains("hnest: the guest rebooted 5 times within 60 s: HyperNest stopped it (a reboot loop)", result.StderrLines);
    }

    [Fact]
    public void On_Reboot_Takes_Only_Exit_Or_Restart()
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--on-reboot", "sometimes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sometimes", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Guest_Memory_Above_4_GiB_Is_Reported()
    {
        HnestProcess.Result result = HnestProcess.Run("run", "--memory", "5G");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 vCPU(s), 5120 MiB RAM", result.Stdout);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    [Trait("Requires", "kvm_pvm")]
    public void A_Given_Kernel_On_A_Pvm_Host_Warns_Once_That_Kernel_Mode_Is_Emulated()
    {
        // The warning is about running the guest on a PVM-flavoured /dev/kvm: meaningless on any other accelerator.
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        string kernel = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(kernel, HyperNest.Vmm.Boot.BuiltInGuest.Load());
            HnestProcess.Result result = HnestProcess.Run("run", "--kernel", kernel);

            Assert.Equal(0, result.ExitCode);
            string warning = Assert.Single(result.StderrLines);
            Assert.Contains("kvm_pvm", warning);
            Assert.Contains("emulated", warning);
        }
        finally
        {
            File.Delete(kernel);
        }
    }

    private static string[] Banners(string stdout) =>
        [.. stdout.Split('\n').Where(l => l.StartsWith("HyperNest built-in guest: 1 vCPU(s)", StringComparison.Ordinal))];
}
