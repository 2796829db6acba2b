namespace HyperNest.Tests;

/// <summary>
/// A Private switch's record written straight into a test store, its bridge absent (as after a reboot: a VM start
/// makes it): adapters connect to it without root. Its bridge name ("hntbr...") is never a real one's.
/// </summary>
internal static class SwitchRecord
{
    public static void Write(string home, string name)
    {
        var id = Guid.NewGuid();
        // Owner-only, as HyperNest writes them: a wider record would be tightened, with a warning, on first use.
        string switches = Path.Combine(home, "switches");
        Directory.CreateDirectory(switches, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string record = Path.Combine(switches, $"{id}.json");
        File.WriteAllText(record,
            $$"""{"schemaVersion": 1, "id": "{{id}}", "name": "{{name}}", "switchType": "Private", "bridgeName": "hntbr{{id.ToString("N")[..8]}}"}""");
        File.SetUnixFileMode(record, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
