namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>Get-NestedVirtStatus and Enable-NestedVm, as cmdlets and as the shipped scripts.</summary>
public sealed class NestedCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Enable_NestedVm_Force_Applies_The_Guides_Settings_And_A_Second_Call_Has_Nothing_To_Do()
    {
        string[] lines = _home.Ok("""
            New-VM -Name DemoVM -MemoryStartupBytes 1GB | Out-Null
            Enable-NestedVm -VmName DemoVM -Force 6>&1 | Out-String
            $p = Get-VMProcessor DemoVM; $m = Get-VMMemory DemoVM
            "expose=$($p.ExposeVirtualizationExtensions) dynamic=$($m.DynamicMemoryEnabled) startup=$($m.Startup) spoofing=$((Get-VMNetworkAdapter DemoVM).MacAddressSpoofing)"
            Enable-NestedVm -VmName DemoVM -Force 6>&1 | Out-String
            """).Lines;

        Assert.Contains("- expose virtualization extensions (ExposeVirtualizationExtensions = True)", lines);
        Assert.Contains("'DemoVM' is set up for nesting.", lines);
        Assert.Contains($"expose=True dynamic=False startup={4L << 30} spoofing=On", lines);
        Assert.Equal("'DemoVM' is already set up for nesting.", lines[^1]);
    }

    [Fact]
    public void Enable_NestedVm_WhatIf_Shows_The_Plan_And_Changes_Nothing()
    {
        string[] lines = _home.Ok("""
            New-VM -Name DemoVM | Out-Null
            Enable-NestedVm DemoVM -EnableMacSpoofing $false -RaiseMemoryTo4GB $false -WhatIf 6>&1 | Out-String
            "expose=$((Get-VMProcessor DemoVM).ExposeVirtualizationExtensions)"
            """).Lines;

        Assert.Contains(lines, l => l.Contains("What if: Performing the operation \"Enable nested virtualization\" on target \"DemoVM\"", StringComparison.Ordinal));
        Assert.Equal("expose=False", lines[^1]);
    }

    [Fact]
    public void Get_NestedVirtStatus_Returns_Objects_With_The_Host_And_Each_Vms_Verdict()
    {
        string[] lines = _home.Ok("""
            New-VM -Name DemoVM | Out-Null
            $s = Get-NestedVirtStatus
            "supported=$($s.Host.Supported) vms=$($s.VMs.Count) vm=$($s.VMs[0].Name) ready=$($s.VMs[0].Ready)"
            ($s.VMs[0].Reasons | ForEach-Object Code) -join ','
            """).Lines;

        bool pvm = Directory.Exists("/sys/module/kvm_pvm");
        Assert.Equal($"supported={!pvm} vms=1 vm=DemoVM ready=False", lines[^2]);
        Assert.StartsWith("ExtensionsNotExposed", lines[^1]);
    }

    [Fact]
    public void Get_NestedVirtStatus_Reports_The_Emulated_Host_Beside_The_Host_And_What_Auto_Picks()
    {
        string[] lines = _home.Ok("""
            $s = Get-NestedVirtStatus
            $codes = @($s.Emulated.Reasons | ForEach-Object { $_.Code.ToString() })
            $qemu = [bool](Get-Command qemu-system-x86_64 -CommandType Application -ErrorAction SilentlyContinue)
            $blocking = @($s.Emulated.Reasons | Where-Object IsBlocking).Count
            "supported-matches-reasons=$($s.Emulated.Supported -eq ($blocking -eq 0)) qemu-named-when-missing=$(($codes -contains 'QemuMissing') -ne $qemu)"
            "last=$($codes[-1]) busybox=$($s.Emulated.Facts.BusyboxPath)"
            $kvm = $s.Host.Facts.KvmDeviceAccessible; $expected = if ($kvm -and -not $s.Host.Facts.IsPvmDevice) { 'kvm' } elseif ($s.Emulated.Supported) { 'emulated' } elseif ($kvm) { 'kvm' } else { 'none' }
            "auto=$($s.AutoAccelerator) expected=$expected"
            """).Lines;

        Assert.Equal("supported-matches-reasons=True qemu-named-when-missing=True", lines[^3]);
        Assert.Equal("last=EmulationIsSlow busybox=/bin/busybox", lines[^2]);
        Assert.Matches("^auto=(kvm|emulated|none) expected=(kvm|emulated|none)$", lines[^1]);
        string[] auto = lines[^1].Split(' ');
        Assert.Equal(auto[0]["auto=".Length..], auto[1]["expected=".Length..]);
    }

    [SkippableFact]
    public void Get_NestedVirtStatus_Without_A_Kvm_Device_Has_No_Pvm_Reason()
    {
        string device = Environment.GetEnvironmentVariable("HYPERNEST_KVM_DEVICE") is { Length: > 0 } set ? set : "/dev/kvm";
        Skip.If(File.Exists(device), $"this host has {device}: the missing-device verdict is checked on hosts without one");

        string[] lines = _home.Ok("""
            $s = Get-NestedVirtStatus
            "first=$($s.Host.Reasons[0].Code) pvm=$(@($s.Host.Reasons | Where-Object { $_.Code.ToString() -eq 'PvmFlavour' }).Count)"
            """).Lines;

        Assert.Equal("first=KvmDeviceMissing pvm=0", lines[^1]);
    }

    [Fact]
    public void Shipped_Scripts_Run_The_Cmdlets()
    {
        string module = Path.Combine(Repository.ModulePath, "HyperNest");
        string[] lines = _home.Ok($"""
            New-VM -Name DemoVM | Out-Null
            & '{module}/Enable-NestedVm.ps1' -VmName DemoVM -Force 6>&1 | Out-String
            & '{module}/Get-NestedVirtStatus.ps1' 6>&1 | Out-String
            $json = & '{module}/Get-NestedVirtStatus.ps1' -Json | ConvertFrom-Json
            $json.VMs[0].Facts.ExtensionsExposed
            "$($json.AutoAccelerator) $($json.Emulated.Supported)"
            """).Lines;

        Assert.Contains("'DemoVM' is set up for nesting.", lines);
        Assert.Contains(lines, l => l.StartsWith("Host: ", StringComparison.Ordinal));
        int emulated = Array.FindIndex(lines, l => l.StartsWith("Emulated host: ", StringComparison.Ordinal));
        int auto = Array.FindIndex(lines, l => l.StartsWith("Accelerator: --accel auto picks ", StringComparison.Ordinal));
        Assert.True(emulated > 0 && auto > emulated, string.Join('\n', lines));
        Assert.Contains(lines, l => l.StartsWith("! warning: software CPU emulation (QEMU TCG): roughly 10x slower boot", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("VM DemoVM (Off): ", StringComparison.Ordinal));
        Assert.Equal("True", lines[^2]);
        Assert.Matches("^(kvm|emulated|none) (True|False)$", lines[^1]);
    }
}
