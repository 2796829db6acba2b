using HyperNest.Kvm;
using System.Text.Json;
using HyperNest.Management.Model;

namespace HyperNest.Management.Store;

/// <summary>
/// Reads and writes host.json. As with config.json, a file of a newer schema is refused whole rather than half-read
/// and saved back without what this HyperNest does not know.
/// </summary>
internal static class HostSettingsDocument
{
    public static byte[] Serialize(HostSettings settings) =>
        JsonSerializer.SerializeToUtf8Bytes(settings with { SchemaVersion = HostSettings.CurrentSchemaVersion }, ManagementJsonContext.Default.HostSettings);

    /// <summary>The settings in <paramref name="path"/>; the defaults when it does not exist.</summary>
    /// <exception cref="VmStoreException">The file is unreadable, corrupt or of a newer schema.</exception>
    public static HostSettings Read(string path)
    {
        HostSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize(File.ReadAllBytes(path), ManagementJsonContext.Default.HostSettings);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HostSettings();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new VmStoreException($"the host settings {path} cannot be read: {e.UserMessage()}");
        }

        return settings switch
        {
            null => throw new VmStoreException($"the host settings {path} are corrupt: empty"),
            { SchemaVersion: > HostSettings.CurrentSchemaVersion } => throw new VmStoreException(
                $"the host settings {path} were written by a newer HyperNest (schema {settings.SchemaVersion}); this one reads up to {HostSettings.CurrentSchemaVersion}"),
            _ => settings,
        };
    }
}
