using HyperNest.Kvm;
using System.Text.Json;
using System.Text.Unicode;
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
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HostSettings();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VmStoreException($"the host settings {path} cannot be read: {e.UserMessage()}");
        }

        return Parse(json, path);
    }

    /// <summary>
    /// The settings <paramref name="json"/> holds (read from <paramref name="path"/>), held to Set-VMHost's rules:
    /// a file edited by hand is refused as corrupt, naming the rule, rather than failing in whatever uses it.
    /// </summary>
    /// <exception cref="VmStoreException">"the host settings X are corrupt: ...", or of a newer schema.</exception>
    public static HostSettings Parse(byte[] json, string path)
    {
        if (!Utf8.IsValid(json))
        {
            throw new VmStoreException($"the host settings {path} are corrupt: they are not UTF-8 text");
        }

        HostSettings? settings;
        try
        {
            settings = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.HostSettings);
        }
        catch (JsonException e)
        {
            throw new VmStoreException($"the host settings {path} cannot be read: {e.UserMessage()}");
        }

        if (settings is null)
        {
            throw new VmStoreException($"the host settings {path} are corrupt: empty");
        }

        if (settings.SchemaVersion > HostSettings.CurrentSchemaVersion)
        {
            throw new VmStoreException(
                $"the host settings {path} were written by a newer HyperNest (schema {settings.SchemaVersion}); this one reads up to {HostSettings.CurrentSchemaVersion}");
        }

        try
        {
            MacAddressPool range = MacAddressPool.Parse(settings.MacAddressMinimum, settings.MacAddressMaximum);
            if ((range.Minimum, range.Maximum) != (settings.MacAddressMinimum, settings.MacAddressMaximum))
            {
                throw new VmValidationException($"the MAC address range {settings.MacAddressMinimum}-{settings.MacAddressMaximum} is not in Hyper-V's form (00155D0A1B2C)");
            }
        }
        catch (VmValidationException e)
        {
            throw new VmStoreException($"the host settings {path} are corrupt: {e.UserMessage()}");
        }

        return settings;
    }
}
