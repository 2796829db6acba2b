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
        string switches = Path.Combine(home, "switches");
        Directory.CreateDirectory(switches);
        File.WriteAllText(Path.Combine(switches, $"{id}.json"),
            $$"""{"schemaVersion": 1, "id": "{{id}}", "name": "{{name}}", "switchType": "Private", "bridgeName": "hntbr{{id.ToString("N")[..8]}}"}""");
    }
}
