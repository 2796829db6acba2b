using System.Diagnostics;
using System.Text.Json;

namespace HyperNest.PowerShell.Tests;

/// <summary>The module as pwsh sees it: manifest, auto-loading, parameter sets; and the launcher's pwsh subcommand.</summary>
public sealed class ModuleTests : IDisposable
{
    private static readonly string[] Cmdlets =
    [
        "Add-VMHardDiskDrive", "Add-VMNetworkAdapter", "Checkpoint-VM", "Connect-VMNetworkAdapter", "Convert-VHD", "Disconnect-VMNetworkAdapter",
        "Enable-NestedVm", "Get-NestedVirtStatus", "Get-VHD", "Get-VM", "Get-VMHardDiskDrive", "Get-VMHost", "Get-VMMemory", "Get-VMNetworkAdapter",
        "Get-VMProcessor", "Get-VMSnapshot", "Get-VMSwitch", "Measure-VM", "New-VHD", "New-VM", "New-VMSwitch", "Remove-VM", "Remove-VMHardDiskDrive",
        "Remove-VMNetworkAdapter", "Remove-VMSavedState", "Remove-VMSnapshot", "Remove-VMSwitch", "Rename-VM", "Rename-VMSnapshot", "Resize-VHD",
        "Restart-VM", "Restore-VMSnapshot", "Resume-VM", "Save-VM", "Set-VM", "Set-VMBootSource", "Set-VMHost", "Set-VMMemory",
        "Set-VMNetworkAdapter", "Set-VMProcessor", "Set-VMSwitch", "Start-VM", "Stop-VM", "Suspend-VM",
    ];

    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Module_Auto_Loads_And_Exports_Every_Cmdlet_Its_Manifest_Lists()
    {
        JsonElement module = _home.Json("""
            Get-VM | Out-Null
            $loaded = Get-Module HyperNest
            $manifest = Import-PowerShellDataFile (Join-Path $loaded.ModuleBase HyperNest.psd1)
            [pscustomobject]@{
                Loaded = $loaded.Name
                Exported = @($loaded.ExportedCmdlets.Keys | Sort-Object)
                Listed = @($manifest.CmdletsToExport | Sort-Object)
                PowerShellVersion = $manifest.PowerShellVersion
                Editions = @($manifest.CompatiblePSEditions)
                Formats = @($manifest.FormatsToProcess)
            }
            """)[0];

        Assert.Equal("HyperNest", module.GetProperty("Loaded").GetString());
        Assert.Equal(Cmdlets, module.GetProperty("Exported").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(Cmdlets, module.GetProperty("Listed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("7.4", module.GetProperty("PowerShellVersion").GetString());
        Assert.Equal("""["Core"]""", module.GetProperty("Editions").GetRawText());
        Assert.Equal("""["HyperNest.format.ps1xml"]""", module.GetProperty("Formats").GetRawText());
    }

    [Fact]
    public void Cmdlets_Have_Hyper_V_s_Parameter_Sets_And_Positions()
    {
        JsonElement shapes = _home.Json("""
            foreach ($name in 'Start-VM', 'Set-VM', 'Set-VMProcessor', 'Set-VMNetworkAdapter', 'Remove-VMNetworkAdapter', 'Rename-VM', 'Measure-VM') {
                $command = Get-Command $name
                ($command.ParameterSets | ForEach-Object {
                    $_.Name + ':' + (($_.Parameters | Where-Object Position -ge 0 | Sort-Object Position | ForEach-Object Name) -join ',')
                }) -join ' '
            }
            foreach ($name in 'Remove-VM', 'Stop-VM', 'Restart-VM', 'Set-VMMemory', 'Set-VM') {
                $attribute = (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                "${name}: $($attribute.SupportsShouldProcess) $($attribute.ConfirmImpact)"
            }
            """);

        Assert.Equal(
            [
                "Name:Name VMObject:VM",
                "Name:Name VMObject:VM",
                "VMName:VMName,Count VMProcessor:VMProcessor,Count VMObject:VM,Count",
                "VMName:VMName VMObject:VM ResourceObject:VMNetworkAdapter",
                "VMName:VMName,Name VMObject:VM,Name ResourceObject:VMNetworkAdapter",
                "Name:Name,NewName VMObject:VM,NewName",
                "Name:Name VMObject:VM",
                "Remove-VM: True High",
                "Stop-VM: True Medium",
                "Restart-VM: True High",
                "Set-VMMemory: True Medium",
                "Set-VM: True Medium",
            ],
            shapes.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void Launcher_Runs_Pwsh_With_The_Module_And_The_Hnest_Binary()
    {
        // The caller's directory stays pwsh's: a relative path means what it says.
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "hnest")) { WorkingDirectory = _home.Path };
        foreach (string arg in (string[])["pwsh", "-NoProfile", "-NonInteractive", "-Command",
            "$env:HYPERNEST_BINARY; (Get-Command Get-VM).Source; (Get-Module HyperNest).ModuleBase; $PWD.Path; New-VM web | Out-Null; (Get-VM).Name"])
        {
            start.ArgumentList.Add(arg);
        }

        // The launcher may rebuild the module first.
        PwshResult result = ChildProcess.Run(_home.WithHome(start), timeoutMinutes: 10);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(
            [
                Path.Combine(Repository.Root, "artifacts", "hnest", "hnest"),
                "HyperNest",
                Path.Combine(Repository.Root, "artifacts", "powershell", "HyperNest"),
                _home.Path,
                "web",
            ],
            result.Lines);
    }
}
