using System.Diagnostics;
using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>
/// docs/architecture.md, "Access", through the module: the first use of a store open wider than its access model
/// tightens it with one warning; a store this process may not read is a PermissionDenied error naming the store.
/// </summary>
public sealed class StoreAccessCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_Store_Open_Wider_Is_Tightened_With_One_Warning()
    {
        _home.Ok("New-VM web | Out-Null");
        int opened = StoreEntries.OpenToOthers(_home.Path);
        const string warnings = "Get-VM 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { \"warning: $_\" }";

        JsonElement first = _home.Json(warnings);
        JsonElement second = _home.Json(warnings);

        Assert.Equal(
            [$"warning: the HyperNest store at {_home.Path} was open to more than its owner: tightened {opened} files and folders (folders 0700, files 0600, sockets 0600)"],
            first.EnumerateArray().Select(w => w.GetString()));
        Assert.Empty(second.EnumerateArray());
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Store_This_Process_May_Not_Read_Is_PermissionDenied_Naming_The_Store()
    {
        Skip.IfNot(HostRoot.Usable, HostRoot.WhyNot);
        _home.Ok("New-VM web | Out-Null");
        // The store becomes uid 65534's, and pwsh root without the capabilities that pass over file modes.
        Assert.Equal(0, ChildProcess.Run(new ProcessStartInfo("chown", ["-R", $"{HostRoot.Outsider}:{HostRoot.Outsider}", _home.Path])).ExitCode);

        IReadOnlyList<PwshError> errors = _home.Errors("Get-VM web; Stop-VM web -TurnOff -Force", ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(
            ("PermissionDenied", "AccessDenied", $"no permission to read the HyperNest store at {_home.Path}: it is open to uid {HostRoot.Outsider} only"),
            (e.Category, e.Id.Split(',')[0], e.Message)));
    }
}
