using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>
/// The emulated accelerator's verdict (QEMU TCG with SVM, a static busybox, a kernel with kvm_amd) against
/// fabricated hosts that start with everything and lose one piece at a time.
/// </summary>
public sealed class EmulatedHostVerdictTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Qemu_A_Static_Busybox_And_A_Local_Kernel_With_Kvm_Amd_Make_The_Emulated_Host_Supported()
    {
        EmulatedHostVerdict verdict = _host.EmulatedVerdict();

        Assert.True(verdict.Supported);
        Assert.Null(verdict.FirstBlockingReason());
        Assert.Equal(GuestKernelSource.Local, verdict.Facts.GuestKernelSource);
        Assert.Equal([NestedReasonCode.EmulationIsSlow], verdict.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void The_Emulated_Host_Is_Always_Said_To_Be_Slow_But_To_Run_Nested_Guests()
    {
        NestedReason slow = _host.EmulatedVerdict().Reasons[^1];
        NestedReason slowWhenBroken = _host.NoQemu().NoBusybox().EmulatedVerdict().Reasons[^1];

        Assert.Equal((NestedReasonCode.EmulationIsSlow, NestedReasonSeverity.Warning), (slow.Code, slow.Severity));
        Assert.StartsWith("software CPU emulation (QEMU TCG): roughly 10x slower boot than hardware KVM; nested guests run", slow.Message);
        Assert.Contains("kvm_intel or kvm_amd", slow.Fix);
        Assert.Equal(slow, slowWhenBroken);
    }

    [Fact]
    public void No_Qemu_Gives_QemuMissing_With_The_Debian_Package_To_Install()
    {
        NestedReason reason = OnlyBlockingReason(_host.NoQemu());

        Assert.Equal(NestedReasonCode.QemuMissing, reason.Code);
        Assert.Equal("qemu-system-x86_64 is not on PATH: the emulated host is QEMU's TCG", reason.Message);
        Assert.Equal("apt-get install qemu-system-x86", reason.Fix);
    }

    [Fact]
    public void A_Qemu_File_That_Is_Not_Executable_Counts_As_Missing()
    {
        _host.Executable("usr/bin/qemu-system-x86_64", executable: false);

        Assert.Equal(NestedReasonCode.QemuMissing, OnlyBlockingReason(_host).Code);
    }

    [Fact]
    public void Qemu_Is_Found_In_Any_Directory_On_The_Path()
    {
        _host.NoQemu().Executable("usr/local/bin/qemu-system-x86_64");

        EmulatedHostVerdict verdict = _host.EmulatedVerdict();

        Assert.True(verdict.Supported);
        Assert.EndsWith(Path.Combine("usr", "local", "bin", "qemu-system-x86_64"), verdict.Facts.QemuPath);
    }

    [Fact]
    public void No_Busybox_Gives_BusyboxMissing_With_Busybox_Static_To_Install()
    {
        NestedReason reason = OnlyBlockingReason(_host.NoBusybox());

        Assert.Equal(NestedReasonCode.BusyboxMissing, reason.Code);
        Assert.EndsWith("bin/busybox is missing: the emulated host's userland is a static busybox", reason.Message);
        Assert.Equal("apt-get install busybox-static", reason.Fix);
    }

    [Fact]
    public void A_Dynamic_Busybox_Gives_BusyboxNotStatic_With_Busybox_Static_To_Install()
    {
        NestedReason reason = OnlyBlockingReason(_host.DynamicBusybox());

        Assert.Equal(NestedReasonCode.BusyboxNotStatic, reason.Code);
        Assert.EndsWith("bin/busybox is dynamically linked: the emulated host has no shared libraries, it needs the static build", reason.Message);
        Assert.StartsWith("apt-get install busybox-static", reason.Fix);
    }

    [Fact]
    public void A_Busybox_That_Is_Not_An_Elf_Executable_Is_Not_Static()
    {
        _host.Busybox("#!/bin/sh\nexec /usr/bin/busybox \"$@\"\n"u8.ToArray());

        NestedReason reason = OnlyBlockingReason(_host);

        Assert.Equal(NestedReasonCode.BusyboxNotStatic, reason.Code);
        Assert.EndsWith("is not a static executable the emulated host can run", reason.Message);
    }

    [Fact]
    public void Without_A_Local_Kernel_It_Will_Be_Fetched_With_Apt_Get_Download_And_The_Verdict_Stays_Yes()
    {
        EmulatedHostVerdict verdict = _host.NoLocalKernel().EmulatedVerdict();

        Assert.True(verdict.Supported);
        Assert.Equal(GuestKernelSource.AptDownload, verdict.Facts.GuestKernelSource);
        NestedReason fetched = verdict.Reasons[0];
        Assert.Equal((NestedReasonCode.GuestKernelWillBeFetched, NestedReasonSeverity.Warning), (fetched.Code, fetched.Severity));
        Assert.StartsWith("no local kernel (", fetched.Message);
        Assert.Contains($"boot/vmlinuz-{FakeHost.Release} is missing)", fetched.Message);
        Assert.EndsWith("the emulated host's kernel will be fetched with `apt-get download linux-image-cloud-amd64` on first use", fetched.Message);
    }

    [Fact]
    public void A_Local_Kernel_Whose_Modules_Lack_Kvm_Amd_Is_Not_Used()
    {
        EmulatedHostVerdict verdict = _host.LocalKernel(kvmAmd: false).EmulatedVerdict();

        Assert.Equal(GuestKernelSource.AptDownload, verdict.Facts.GuestKernelSource);
        Assert.True(verdict.Facts.LocalKernelPresent);
        Assert.False(verdict.Facts.LocalModulesHaveKvmAmd);
        Assert.StartsWith("the local kernel has no kvm_amd (not in ", verdict.Reasons[0].Message);
    }

    [Fact]
    public void A_Local_Kernel_Without_Its_Modules_Directory_Is_Not_Used()
    {
        EmulatedHostVerdict verdict = _host.LocalKernel(modules: false).EmulatedVerdict();

        Assert.Equal(GuestKernelSource.AptDownload, verdict.Facts.GuestKernelSource);
        Assert.Contains($"lib/modules/{FakeHost.Release} is missing", verdict.Reasons[0].Message);
    }

    [Fact]
    public void Kvm_Amd_Built_Into_The_Local_Kernel_Counts()
    {
        _host.LocalKernel(kvmAmd: false);
        File.WriteAllText(Path.Combine(_host.Root, "lib", "modules", FakeHost.Release, "modules.builtin"), "kernel/arch/x86/kvm/kvm-amd.ko\n");

        Assert.Equal(GuestKernelSource.Local, _host.EmulatedFacts().GuestKernelSource);
    }

    [Fact]
    public void A_Local_Kernel_Is_Preferred_Even_Where_Apt_Get_Exists()
    {
        EmulatedHostFacts facts = _host.EmulatedFacts();

        Assert.NotNull(facts.AptGetPath);
        Assert.Equal(GuestKernelSource.Local, facts.GuestKernelSource);
        Assert.EndsWith($"boot/vmlinuz-{FakeHost.Release}", facts.LocalKernelPath);
    }

    [Fact]
    public void Neither_A_Local_Kernel_Nor_Apt_Get_Gives_GuestKernelUnavailable()
    {
        NestedReason reason = OnlyBlockingReason(_host.NoLocalKernel().NoAptGet());

        Assert.Equal(NestedReasonCode.GuestKernelUnavailable, reason.Code);
        Assert.StartsWith("no kernel for the emulated host: no local kernel (", reason.Message);
        Assert.EndsWith("and apt-get is not on PATH to fetch linux-image-cloud-amd64", reason.Message);
        Assert.Equal($"provide /boot/vmlinuz-{FakeHost.Release} (readable) with /lib/modules/{FakeHost.Release} including kvm_amd, " +
            "or run on a Debian-based host with apt-get", reason.Fix);
    }

    [Fact]
    public void An_Unknown_Kernel_Release_Falls_Back_To_Apt_Get_Download()
    {
        EmulatedHostVerdict verdict = _host.KernelRelease(null).EmulatedVerdict();

        Assert.Null(verdict.Facts.KernelRelease);
        Assert.Null(verdict.Facts.LocalKernelPath);
        Assert.Equal(GuestKernelSource.AptDownload, verdict.Facts.GuestKernelSource);
        Assert.StartsWith("the running kernel's release is unknown", verdict.Reasons[0].Message);
    }

    [Fact]
    public void Every_Missing_Piece_Is_Listed_In_The_Order_The_Emulated_Host_Needs_Them()
    {
        EmulatedHostVerdict verdict = _host.NoQemu().DynamicBusybox().NoLocalKernel().NoAptGet().EmulatedVerdict();

        Assert.False(verdict.Supported);
        Assert.Equal(
            [NestedReasonCode.QemuMissing, NestedReasonCode.BusyboxNotStatic, NestedReasonCode.GuestKernelUnavailable, NestedReasonCode.EmulationIsSlow],
            verdict.Reasons.Select(r => r.Code));
        Assert.All(verdict.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Fix)));
    }

    [Fact]
    public void A_Host_With_Only_Apt_Get_Needs_Qemu_And_Busybox_And_Will_Fetch_Its_Kernel()
    {
        EmulatedHostVerdict verdict = _host.NoQemu().NoBusybox().NoLocalKernel().EmulatedVerdict();

        Assert.False(verdict.Supported);
        Assert.Equal(
            [NestedReasonCode.QemuMissing, NestedReasonCode.BusyboxMissing, NestedReasonCode.GuestKernelWillBeFetched, NestedReasonCode.EmulationIsSlow],
            verdict.Reasons.Select(r => r.Code));
        Assert.Equal(NestedReasonCode.QemuMissing, verdict.FirstBlockingReason()!.Code);
    }

    private static NestedReason OnlyBlockingReason(FakeHost host)
    {
        EmulatedHostVerdict verdict = host.EmulatedVerdict();
        Assert.False(verdict.Supported);
        return Assert.Single(verdict.Reasons, r => r.IsBlocking);
    }
}
