using System.Text.Json;
using HyperNest.Cli.Commands;
using HyperNest.Cli.Json;
using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// hnest nested status and hnest run --nested on this machine, whose KVM is kvm_pvm or missing (the verdict must be
/// NO and say why; tests that need such a host are skipped, with the reason, elsewhere), and the status text and JSON for fabricated
/// hosts.
/// </summary>
public sealed class NestedCommandTests
{
    private static bool HasKvmDevice => File.Exists(HyperNest.Kvm.KvmSystem.DevicePath);

    /// <summary>No /dev/kvm, no QEMU, no busybox, no local kernel: what the emulated host needs is all missing but apt-get.</summary>
    private static readonly EmulatedHostFacts NothingInstalled = new()
    {
        BusyboxPath = "/bin/busybox",
        Busybox = ExecutableLinkage.Missing,
        KernelRelease = "6.1.0-fake",
        LocalKernelPath = "/boot/vmlinuz-6.1.0-fake",
        LocalModulesPath = "/lib/modules/6.1.0-fake",
        AptGetPath = "/usr/bin/apt-get",
    };

    private static readonly EmulatedHostFacts EverythingInstalled = NothingInstalled with
    {
        QemuPath = "/usr/bin/qemu-system-x86_64",
        Busybox = ExecutableLinkage.Static,
        LocalKernelPresent = true,
        LocalKernelReadable = true,
        LocalModulesPresent = true,
        LocalModulesHaveKvmAmd = true,
    };

    /// <summary>A VM without nested virtualization (hypervisor flag, no svm), kvm_pvm loaded but no /dev/kvm.</summary>
    private static readonly HostFacts NoKvmDevice = new()
    {
        KvmDevicePath = "/dev/kvm",
        VendorModule = KvmModuleKind.Pvm,
        CpuVendor = "AuthenticAMD",
        CpuHasHypervisorFlag = true,
        MemoryAvailableBytes = 8UL << 30,
        HyperNestVersion = "0.1.0",
    };

    [SkippableFact]
    public void Status_On_A_Pvm_Host_Says_No_And_Names_Kvm_Pvm_And_The_Missing_Vmx_Svm()
    {
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        HnestProcess.Result result = InEmptyHome("nested", "status");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.StartsWith("Host: NO", lines[0]);
        Assert.Contains("this host's KVM is kvm_pvm (PVM): guest kernel mode is emulated and VMX/SVM cannot be exposed to guests", lines[1]);
        Assert.Contains(lines, l => l.Contains("offers no VMX/SVM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("fix: ", StringComparison.Ordinal));
        Assert.DoesNotContain("\e[", result.Stdout); // stdout is a pipe: no colour
        Assert.Equal(string.Empty, result.Stderr);
    }

    [SkippableFact]
    public void Status_Json_On_A_Pvm_Host_Parses_And_Says_Not_Supported()
    {
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        HnestProcess.Result result = InEmptyHome("nested", "status", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement host = json.RootElement.GetProperty("host");
        Assert.False(host.GetProperty("supported").GetBoolean());
        JsonElement first = host.GetProperty("reasons")[0];
        Assert.Equal("PvmFlavour", first.GetProperty("code").GetString());
        Assert.Contains("kvm_pvm", first.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("fix").GetString()));
        JsonElement facts = host.GetProperty("facts");
        Assert.Equal("kvm_pvm", facts.GetProperty("vendorModuleName").GetString());
        Assert.Equal("Emulated", facts.GetProperty("guestKernelMode").GetString());
        Assert.False(facts.GetProperty("supportedCpuidOffersSvm").GetBoolean());
        Assert.False(facts.GetProperty("supportedCpuidOffersVmx").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("vms").GetArrayLength());
    }

    [SkippableFact]
    public void Status_Without_A_Kvm_Device_Names_The_Missing_Device_First_And_Nothing_About_Pvm()
    {
        Skip.If(HasKvmDevice, "this host has a /dev/kvm: the missing-device verdict is checked on hosts without one");

        HnestProcess.Result result = InEmptyHome("nested", "status");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.StartsWith("Host: NO", lines[0]);
        Assert.StartsWith($"  x {HyperNest.Kvm.KvmSystem.DevicePath} does not exist: this host has no KVM", lines[1]);
        Assert.DoesNotContain("PVM", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Emulated host: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Accelerator: --accel auto picks emulated", StringComparison.Ordinal)
            || l.StartsWith("Accelerator: --accel auto picks none", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_Here_Shows_The_Emulated_Host_Block_And_What_Auto_Picks_After_The_Host_Facts()
    {
        HnestProcess.Result result = InEmptyHome("nested", "status");

        Assert.Equal(0, result.ExitCode);
        List<string> lines = [.. result.Stdout.Split('\n')];
        int hyperNest = lines.FindIndex(l => l.StartsWith("  HyperNest ", StringComparison.Ordinal));
        int emulated = lines.FindIndex(l => l.StartsWith("Emulated host: ", StringComparison.Ordinal));
        int auto = lines.FindIndex(l => l.StartsWith("Accelerator: --accel auto picks ", StringComparison.Ordinal));
        Assert.True(hyperNest > 0 && emulated == hyperNest + 1 && auto > emulated, result.Stdout);
        Assert.Contains(lines, l => l.StartsWith("  ! warning: software CPU emulation (QEMU TCG): roughly 10x slower boot", StringComparison.Ordinal));
        Assert.Equal("VMs: none in the inventory", lines[auto + 1]);
    }

    [Fact]
    public void Status_Json_Has_The_Emulated_Verdict_And_The_Auto_Accelerator_Beside_The_Host()
    {
        HnestProcess.Result result = InEmptyHome("nested", "status", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(["host", "emulated", "autoAccelerator", "vms"], root.EnumerateObject().Select(p => p.Name));
        JsonElement emulated = root.GetProperty("emulated");
        bool supported = emulated.GetProperty("supported").GetBoolean();
        Assert.Equal("EmulationIsSlow", emulated.GetProperty("reasons").EnumerateArray().Last().GetProperty("code").GetString());
        Assert.Equal(supported, !emulated.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("severity").GetString() == "Blocking"));
        Assert.Equal("/bin/busybox", emulated.GetProperty("facts").GetProperty("busyboxPath").GetString());
        // For a Linux guest: a PVM /dev/kvm sends it to the emulated host when that can start.
        JsonElement facts = root.GetProperty("host").GetProperty("facts");
        bool kvm = facts.GetProperty("kvmDeviceAccessible").GetBoolean();
        string expectedAuto = kvm && !facts.GetProperty("isPvmDevice").GetBoolean() ? "kvm"
            : supported ? "emulated" : kvm ? "kvm" : "none";
        Assert.Equal(expectedAuto, root.GetProperty("autoAccelerator").GetString());
    }

    [SkippableFact]
    public void Run_Nested_On_Kvm_Of_A_Pvm_Host_Is_Refused_With_The_First_Reason_On_One_Line()
    {
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        HnestProcess.Result result = HnestProcess.Run("run", "--nested", "--accel", "kvm");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StderrLines);
        Assert.StartsWith("hnest: cannot expose virtualization extensions: this host's KVM is kvm_pvm (PVM)", line);
        Assert.Contains("(fix: ", line);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [SkippableFact]
    public void Run_Nested_On_Auto_Where_This_Kvm_Cannot_Nest_Runs_On_The_Emulated_Host_And_Says_Why()
    {
        Skip.If(HostKvm.Usable && !HostKvm.PvmLoaded, "this host's KVM may nest: auto would stay on kvm");

        HnestProcess.Result result = HnestProcess.Run("run", "--nested", "--cpus", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("HyperNest built-in guest: 2 vCPU(s), 512 MiB RAM", result.Stdout);
        Assert.StartsWith("hnest: accelerator emulated: ", result.StderrLines[0]);
    }

    [Fact]
    public void Text_Is_Coloured_Only_When_Asked()
    {
        NestedHostStatus status = Status(new HostFacts { KvmDevicePath = "/dev/kvm", HyperNestVersion = "0" }, NothingInstalled);

        Assert.Contains("\e[31m", Render(status, colour: true));
        string plain = Render(status, colour: false);
        Assert.DoesNotContain("\e[", plain);
        Assert.StartsWith("Host: NO", plain);
        Assert.Contains("/dev/kvm missing", plain);
    }

    [Fact]
    public void Text_Without_A_Kvm_Device_Or_Emulator_Packages_Says_No_Twice_Names_The_Packages_And_Auto_Picks_None()
    {
        string text = Render(Status(NoKvmDevice, NothingInstalled), colour: false);

        Assert.Equal("""
            Host: NO: this host cannot expose virtualization extensions to its VMs
              x /dev/kvm does not exist: this host has no KVM
                  fix: /dev/kvm comes from kvm_intel or kvm_amd, which need the CPU's vmx/svm flag: fix the reason below, then `modprobe kvm_amd`
              x this host is itself a VM (hypervisor flag) that was not given nested virtualization: its CPU shows no vmx/svm flag
                  fix: enable it on the outer hypervisor (Hyper-V: `Set-VMProcessor -ExposeVirtualizationExtensions $true` with the VM off; KVM/QEMU: `-cpu host` with the outer kvm_intel/kvm_amd nested=1), then start this VM again
            Facts:
              KVM device           /dev/kvm missing
              KVM vendor module    kvm_pvm (loaded, but no KVM device)
              guest kernel mode    unknown (no KVM device)
              CPU flags            AuthenticAMD: vmx no, svm no, hypervisor yes
              KVM supported CPUID  not queried
              memory available     8.0 GiB (the guide wants 4 GB)
              HyperNest            0.1.0
            Emulated host: NO: the emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1) cannot start here
              x qemu-system-x86_64 is not on PATH: the emulated host is QEMU's TCG
                  fix: apt-get install qemu-system-x86
              x /bin/busybox is missing: the emulated host's userland is a static busybox
                  fix: apt-get install busybox-static
              ! warning: no local kernel (/boot/vmlinuz-6.1.0-fake is missing): the emulated host's kernel will be fetched with `apt-get download linux-image-cloud-amd64` on first use
                  fix: nothing to do with a reachable Debian mirror; to boot without it, provide /boot/vmlinuz-6.1.0-fake (readable) with /lib/modules/6.1.0-fake including kvm_amd
              ! warning: software CPU emulation (QEMU TCG): roughly 10x slower boot than hardware KVM; nested guests run (a three-level nested boot takes 20-60 s)
                  fix: for hardware speed, run on a host whose /dev/kvm is kvm_intel or kvm_amd
            Facts:
              QEMU                 qemu-system-x86_64 not on PATH
              busybox              /bin/busybox missing
              emulated host kernel `apt-get download linux-image-cloud-amd64` on first use (/usr/bin/apt-get)
            Accelerator: --accel auto picks none: no usable /dev/kvm, and the emulated host cannot start: fix its reasons above
            VMs: none in the inventory

            """, text);
        Assert.DoesNotContain("PVM", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Without_A_Kvm_Device_But_With_The_Emulator_Packages_Says_Emulated_Yes_And_Auto_Picks_Emulated()
    {
        string[] lines = Render(Status(NoKvmDevice, EverythingInstalled), colour: false).Split('\n');

        Assert.Contains("Emulated host: YES: VMs, nested guests included, can run on an emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1)", lines);
        Assert.Contains("  emulated host kernel /boot/vmlinuz-6.1.0-fake with /lib/modules/6.1.0-fake (has kvm_amd)", lines);
        Assert.Contains("  busybox              /bin/busybox, static", lines);
        Assert.Contains("Accelerator: --accel auto picks emulated: no usable /dev/kvm; the emulated host can start (slow)", lines);
    }

    [Fact]
    public void Text_On_A_Kvm_Device_That_Opens_Says_Auto_Picks_Kvm()
    {
        HostFacts kvm = NoKvmDevice with { VendorModule = KvmModuleKind.Amd, KvmDevicePresent = true, KvmDeviceAccessible = true, KvmApiVersion = 12 };

        string[] lines = Render(Status(kvm, NothingInstalled), colour: false).Split('\n');

        Assert.Contains("Accelerator: --accel auto picks kvm: /dev/kvm exists and opens", lines);
        Assert.Contains("  KVM vendor module    kvm_amd", lines);
    }

    [Fact]
    public void Json_Document_Carries_Emulated_Supported_Reasons_Facts_And_The_Auto_Accelerator_Name()
    {
        NestedStatusDocument document = NestedStatusDocument.For(Status(NoKvmDevice, EverythingInstalled), []);

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(document, CliJsonContext.Default.NestedStatusDocument));

        JsonElement emulated = json.RootElement.GetProperty("emulated");
        Assert.True(emulated.GetProperty("supported").GetBoolean());
        JsonElement slow = Assert.Single(emulated.GetProperty("reasons").EnumerateArray());
        Assert.Equal(("EmulationIsSlow", "Warning"), (slow.GetProperty("code").GetString(), slow.GetProperty("severity").GetString()));
        JsonElement facts = emulated.GetProperty("facts");
        Assert.Equal("/usr/bin/qemu-system-x86_64", facts.GetProperty("qemuPath").GetString());
        Assert.Equal("Static", facts.GetProperty("busybox").GetString());
        Assert.Equal("Local", facts.GetProperty("guestKernelSource").GetString());
        Assert.Equal("emulated", json.RootElement.GetProperty("autoAccelerator").GetString());
        Assert.Equal("KvmDeviceMissing", json.RootElement.GetProperty("host").GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public void A_Vm_That_Hosts_Vms_Gets_A_Line_For_What_HyperNest_Does_Beyond_Hyper_V()
    {
        var facts = new NestedVmFacts(true, false, 4UL << 30, 2, [], 0, false);
        var vm = new NestedVmVerdict("lab", HyperNest.Management.Model.VmState.Running, true, [], facts)
        {
            BeyondHyperV = [NestedVmVerdict.RuntimeMemoryResize],
        };

        string[] lines = Render(Status(NoKvmDevice, EverythingInstalled), colour: false, vm).Split('\n');

        int header = Array.IndexOf(lines, "VM lab (Running): YES: set up to host VMs");
        Assert.True(header >= 0, string.Join('\n', lines));
        Assert.Equal($"  + beyond Hyper-V: {NestedVmVerdict.RuntimeMemoryResize}", lines[header + 1]);
    }

    [Fact]
    public void A_Writer_That_Is_Not_The_Console_Gets_No_Colour() =>
        Assert.False(NestedStatusText.ShouldColour(new StringWriter()));

    [Fact]
    public void The_Debug_Verb_Is_Hidden_From_Help()
    {
        HnestProcess.Result result = HnestProcess.Run("--help");

        Assert.Contains("nested", result.Stdout);
        Assert.DoesNotContain("debug", result.Stdout);
    }

    /// <summary>Runs hnest against an empty VM inventory, so the VM part of the status is known.</summary>
    private static HnestProcess.Result InEmptyHome(params string[] args)
    {
        string home = Directory.CreateTempSubdirectory("hnest-home-").FullName;
        try
        {
            return HnestProcess.RunWithEnvironment(new Dictionary<string, string> { ["HYPERNEST_HOME"] = home }, args);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static NestedHostStatus Status(HostFacts host, EmulatedHostFacts emulated) =>
        NestedHostStatus.For(NestedHostVerdict.For(host), EmulatedHostVerdict.For(emulated));

    private static string Render(NestedHostStatus status, bool colour, params NestedVmVerdict[] vms)
    {
        using var output = new StringWriter { NewLine = "\n" };
        new NestedStatusText(output, colour).Write(status, vms);
        return output.ToString();
    }
}
