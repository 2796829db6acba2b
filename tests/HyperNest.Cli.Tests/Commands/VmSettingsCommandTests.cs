using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

public sealed class VmSettingsCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Settings_Are_Stored_And_Shown_As_Json()
    {
        _home.Ok("vm", "new", "nested", "--memory", "1G");
        _home.Ok("vm", "set-processor", "nested", "--count", "1", "--expose-virtualization-extensions", "true");
        _home.Ok("vm", "set-memory", "nested", "--dynamic-memory", "true", "--minimum", "512M", "--maximum", "2G", "--buffer", "25", "--priority", "80");
        _home.Ok("vm", "adapter", "set", "nested", "Network Adapter", "--mac-address-spoofing", "On", "--static-mac-address", "02:15:5d:00:00:42");

        JsonElement config = _home.Show("nested").GetProperty("configuration");

        Assert.True(config.GetProperty("exposeVirtualizationExtensions").GetBoolean());
        JsonElement memory = config.GetProperty("memory");
        Assert.Equal(1UL << 30, memory.GetProperty("startupBytes").GetUInt64());
        Assert.True(memory.GetProperty("dynamicMemoryEnabled").GetBoolean());
        Assert.Equal(2UL << 30, memory.GetProperty("maximumBytes").GetUInt64());
        Assert.Equal(25, memory.GetProperty("buffer").GetInt32());
        JsonElement adapter = config.GetProperty("networkAdapters")[0];
        Assert.Equal("02155D000042", adapter.GetProperty("macAddress").GetString());
        Assert.False(adapter.GetProperty("dynamicMacAddressEnabled").GetBoolean());
        Assert.True(adapter.GetProperty("macAddressSpoofing").GetBoolean());
    }

    [Fact]
    public void Adapters_And_Disks_Are_Listed()
    {
        string disk = Path.Combine(_home.Path, "d.raw");
        File.WriteAllBytes(disk, new byte[1 << 20]);
        _home.Ok("vm", "new", "web");
        _home.AddSwitchRecord("labswitch");
        _home.Ok("vm", "adapter", "add", "web", "lab", "--switch", "labswitch");
        _home.Ok("vm", "disk", "add", "web", disk, "--readonly");

        string adapters = _home.Ok("vm", "adapter", "list", "web").Stdout;
        string disks = _home.Ok("vm", "disk", "list", "web").Stdout;

        Assert.Contains("labswitch", adapters);
        Assert.Contains("00:15:5D:", adapters);
        Assert.Contains(disk, disks);
        Assert.Equal(2, JsonDocument.Parse(_home.Ok("vm", "adapter", "list", "web", "--json").Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public void Remove_Keeps_Disk_Images_Unless_Asked()
    {
        string disk = Path.Combine(_home.Path, "d.raw");
        File.WriteAllBytes(disk, new byte[4096]);
        _home.Ok("vm", "new", "keep", "--disk", disk);
        _home.Ok("vm", "new", "drop", "--disk", disk);

        _home.Ok("vm", "remove", "keep");
        Assert.True(File.Exists(disk));
        _home.Ok("vm", "remove", "drop", "--delete-disks");

        Assert.False(File.Exists(disk));
        Assert.Equal("[]", _home.Ok("vm", "list", "--json").Stdout.Trim());
    }
}
