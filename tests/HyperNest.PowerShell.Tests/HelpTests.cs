using System.Text.Json;

namespace HyperNest.PowerShell.Tests;

/// <summary>
/// Get-Help as a user sees it: the MAML help the build writes from the cmdlets' doc comments and attributes, for every
/// cmdlet the manifest exports, and the about_HyperNest topic.
/// </summary>
public sealed class HelpTests : IDisposable
{
    /// <summary>
    /// For each cmdlet the manifest exports: its help's synopsis, description, examples, the parameters that have no
    /// description, and its parameter sets (name, position, mandatory) as Get-Help and as Get-Command see them.
    /// Common parameters and hidden ones (DontShow) are not the help's to describe.
    /// </summary>
    private const string HelpOfEveryCmdlet = """
        $module = Get-Module HyperNest -ListAvailable | Select-Object -First 1
        $manifest = Import-PowerShellDataFile (Join-Path $module.ModuleBase HyperNest.psd1)
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + 'UseTransaction'
        foreach ($name in $manifest.CmdletsToExport) {
            $command = Get-Command $name
            $help = Get-Help $name -Full
            $visible = { param($p) $p.Name -notin $common -and -not ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }
            $parameters = @($command.Parameters.Values | Where-Object { & $visible $_ })
            [pscustomobject]@{
                Name = $name
                Synopsis = [string]$help.Synopsis
                Description = (@($help.description | ForEach-Object Text) -join ' ').Trim()
                Examples = @($help.examples.example | Where-Object { $_.code -and ((@($_.remarks | ForEach-Object Text) -join '').Trim()) }).Count
                Undescribed = @($parameters | Where-Object {
                    $described = $help.parameters.parameter | Where-Object name -eq $_.Name
                    -not $described -or -not ((@($described.description | ForEach-Object Text) -join '').Trim())
                } | ForEach-Object Name)
                CommandSets = @($command.ParameterSets | ForEach-Object {
                    (@($_.Parameters | Where-Object { & $visible $_ } | ForEach-Object {
                        "$($_.Name)@$(if ($_.Position -ge 0) { $_.Position } else { 'named' })$(if ($_.IsMandatory) { '!' })"
                    } | Sort-Object) -join ' ')
                } | Sort-Object)
                HelpSets = @($help.syntax.syntaxItem | ForEach-Object {
                    (@($_.parameter | Where-Object { $_ } | ForEach-Object { "$($_.name)@$($_.position)$(if ($_.required -eq 'true') { '!' })" } | Sort-Object) -join ' ')
                } | Sort-Object)
            }
        }
        """;

    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Every_Exported_Cmdlet_Has_A_Synopsis_A_Description_Every_Parameter_Described_And_An_Example()
    {
        JsonElement cmdlets = _home.Json(HelpOfEveryCmdlet);

        var gaps = new List<string>();
        foreach (JsonElement cmdlet in cmdlets.EnumerateArray())
        {
            string name = cmdlet.GetProperty("Name").GetString()!;
            string synopsis = cmdlet.GetProperty("Synopsis").GetString()!;
            // Without a help file, Get-Help makes the synopsis from the syntax: "Set-VMProcessor [-VMName] <string[]> ...".
            if (synopsis.Length == 0 || synopsis.StartsWith(name + " ", StringComparison.Ordinal))
            {
                gaps.Add($"{name}: no synopsis (<summary>)");
            }

            if (cmdlet.GetProperty("Description").GetString()!.Length == 0)
            {
                gaps.Add($"{name}: no description (<remarks>)");
            }

            if (cmdlet.GetProperty("Examples").GetInt32() == 0)
            {
                gaps.Add($"{name}: no example with <code> and <para>");
            }

            gaps.AddRange(cmdlet.GetProperty("Undescribed").EnumerateArray().Select(p => $"{name}: -{p.GetString()} has no description"));
        }

        Assert.True(cmdlets.GetArrayLength() >= 34, $"only {cmdlets.GetArrayLength()} cmdlets in the manifest");
        Assert.True(gaps.Count == 0, "help is incomplete (each cmdlet's doc comments: docs/architecture.md, Help and completion):\n" + string.Join('\n', gaps));
    }

    [Fact]
    public void Help_Syntax_Is_Each_Cmdlets_Parameter_Sets_With_Their_Positions_And_Mandatory_Parameters()
    {
        JsonElement cmdlets = _home.Json(HelpOfEveryCmdlet);

        foreach (JsonElement cmdlet in cmdlets.EnumerateArray())
        {
            string name = cmdlet.GetProperty("Name").GetString()!;
            Assert.Equal(
                cmdlet.GetProperty("CommandSets").EnumerateArray().Select(s => $"{name}: {s.GetString()}"),
                cmdlet.GetProperty("HelpSets").EnumerateArray().Select(s => $"{name}: {s.GetString()}"));
        }
    }

    [Fact]
    public void Get_Help_Examples_Prints_Set_VMProcessor_s_Examples() => AssertShows(
        "Get-Help Set-VMProcessor -Examples",
        "Configures one or more processors of a virtual machine.",
        "Example 1",
        "Set-VMProcessor -VMName hv -ExposeVirtualizationExtensions $true -Count 2",
        "Lets the guest of hv run its own VMs, with two processors.");

    [Fact]
    public void Get_Help_Full_Describes_Parameters_Inputs_And_Outputs()
    {
        string help = AssertShows(
            "Get-Help Set-VMProcessor -Full",
            "-ExposeVirtualizationExtensions <Boolean>",
            "Whether the guest sees the host's virtualization extensions",
            "Accept pipeline input?       True (ByPropertyName)",
            "HyperNest.PowerShell.Objects.VMProcessor");

        Assert.DoesNotContain("REMARKS", help, StringComparison.Ordinal);
    }

    [Fact]
    public void About_HyperNest_Says_How_HyperNest_Differs_From_Hyper_V()
    {
        string topic = AssertShows("Get-Help about_HyperNest", "ACCELERATORS", "KERNELS INSTEAD OF FIRMWARE", "DISK FORMATS", "NESTED VIRTUALIZATION");

        Assert.StartsWith("TOPIC\n    about_HyperNest\n", topic, StringComparison.Ordinal);
    }

    /// <summary>What <paramref name="command"/> prints (300 columns wide), having checked it shows each of <paramref name="texts"/>.</summary>
    private string AssertShows(string command, params string[] texts)
    {
        string shown = _home.Ok(command + " | Out-String -Width 300").Stdout;
        foreach (string text in texts)
        {
            Assert.Contains(text, shown, StringComparison.Ordinal);
        }

        return shown;
    }
}
