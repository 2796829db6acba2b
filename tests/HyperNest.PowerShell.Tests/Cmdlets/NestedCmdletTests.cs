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
    public void Shipped_Scripts_Run_The_Cmdlets()
    {
        string module = Path.Combine(Repository.ModulePath, "HyperNest");
        string[] lines = _home.Ok($"""
            New-VM -Name DemoVM | Out-Null
            & '{module}/Enable-NestedVm.ps1' -VmName DemoVM -Force 6>&1 | Out-String
            & '{module}/Get-NestedVirtStatus.ps1' 6>&1 | Out-String
            (& '{module}/Get-NestedVirtStatus.ps1' -Json | ConvertFrom-Json).VMs[0].Facts.ExtensionsExposed
            """).Lines;

        Assert.Contains("'DemoVM' is set up for nesting.", lines);
        Assert.Contains(lines, l => l.StartsWith("Host: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("VM DemoVM (Off): ", StringComparison.Ordinal));
        Assert.Equal("True", lines[^1]);
    }
}
