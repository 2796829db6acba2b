namespace HyperNest.PowerShell.Tests.Completion;

/// <summary>
/// Tab completion of VM, switch and network adapter names, as pwsh's TabExpansion2 offers them in a new session
/// (the module auto-loaded by the completion itself), names with spaces quoted.
/// </summary>
public sealed class ArgumentCompleterTests : IDisposable
{
    private const string Complete =
        "function Complete($line) { ((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText) -join ',' }; ";

    private readonly PowerShellHome _home = new();

    public ArgumentCompleterTests()
    {
        SwitchRecord.Write(_home.Path, "Lab");
        SwitchRecord.Write(_home.Path, "Lab Uplink");
        _home.Ok("""
            New-VM web | Out-Null
            New-VM 'web two' | Out-Null
            New-VM "it's db" | Out-Null
            Add-VMNetworkAdapter -VMName web -Name Backend
            """);
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void VM_Names_Complete_For_Name_And_VMName_Quoted_When_They_Have_Spaces()
    {
        string[] completions = Lines(
            "Complete 'Start-VM -Name w'",
            "Complete 'Start-VM w'",
            "Complete 'Set-VMProcessor -VMName '",
            "Complete 'Get-VM -Name I'",
            "Complete 'Enable-NestedVm '");

        Assert.Equal(
            [
                "web,'web two'",
                "web,'web two'",
                "'it''s db',web,'web two'",
                "'it''s db'",
                "'it''s db',web,'web two'",
            ],
            completions);
    }

    [Fact]
    public void Switch_Names_Complete_For_SwitchName_And_The_VMSwitch_Cmdlets()
    {
        // New-VM's -SwitchName is completed by the registration made at import, from the second completion on.
        string[] completions = Lines(
            "Complete 'Connect-VMNetworkAdapter -VMName web -SwitchName L'",
            "Complete 'New-VM x -SwitchName '",
            "Complete 'Get-VMSwitch -Name lab'",
            "Complete 'Remove-VMSwitch '");

        Assert.Equal(["Lab,'Lab Uplink'", "Lab,'Lab Uplink'", "Lab,'Lab Uplink'", "Lab,'Lab Uplink'"], completions);
    }

    [Fact]
    public void Adapter_Names_Complete_From_The_VM_Given_Else_From_Every_VM()
    {
        string[] completions = Lines(
            "Complete 'Set-VMNetworkAdapter -VMName web -Name '",
            "Complete 'Remove-VMNetworkAdapter -VMName ''web two'' -Name '",
            "Complete 'Get-VMNetworkAdapter -All -Name B'");

        Assert.Equal(["Backend,'Network Adapter'", "'Network Adapter'", "Backend"], completions);
    }

    [Fact]
    public void A_New_Name_Is_Not_Completed_From_Existing_Ones()
    {
        string[] completions = Lines("Complete 'New-VM -Name we'", "Complete 'Add-VMNetworkAdapter -VMName web -Name Backe'");

        Assert.Equal(["", ""], completions);
    }

    /// <summary>One line of output per completion, run in a new pwsh session whose first command is the completion.</summary>
    private string[] Lines(params string[] completions) =>
        _home.Ok(Complete + string.Join("; ", completions.Select(c => $"'<' + ({c}) + '>'"))).Lines.Select(l => l.Trim('<', '>')).ToArray();
}
