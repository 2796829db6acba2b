using HyperNest.Kvm;
using System.Text.Json;
using System.Text.Unicode;
using HyperNest.Management.Model;

namespace HyperNest.Management.Store;

/// <summary>
/// Reads and writes config.json. The schema version is checked before the document is bound, so a config written
/// by a newer HyperNest is refused whole instead of being half-read (and then saved back without the new fields). A
/// config that reads but breaks the rules of <see cref="StoredConfiguration"/> (edited by hand) is refused as
/// corrupt, naming the rule, instead of failing later in whatever uses the broken value.
/// </summary>
internal static class ConfigDocument
{
    public static byte[] Serialize(VmConfiguration config) =>
        JsonSerializer.SerializeToUtf8Bytes(config with { SchemaVersion = VmConfiguration.CurrentSchemaVersion }, ManagementJsonContext.Default.VmConfiguration);

    /// <summary>The config of the VM whose folder is named <paramref name="folderId"/>.</summary>
    /// <exception cref="VmStoreException">"config of VM X is corrupt: ...", or of a newer schema.</exception>
    public static VmConfiguration Deserialize(byte[] json, Guid folderId)
    {
        int schema;
        string? name = null;
        if (!Utf8.IsValid(json))
        {
            throw Corrupt(folderId, null, "it is not UTF-8 text");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(folderId, null, "not a JSON object");
            }

            if (root.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String)
            {
                name = n.GetString();
            }

            if (!root.TryGetProperty("schemaVersion", out JsonElement version))
            {
                throw Corrupt(folderId, name, "no schemaVersion");
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out schema))
            {
                throw Corrupt(folderId, name, "its schemaVersion is not a whole number");
            }
        }
        catch (JsonException e)
        {
            throw Corrupt(folderId, name, e.UserMessage());
        }

        if (schema > VmConfiguration.CurrentSchemaVersion)
        {
            throw new VmStoreException(
                $"config of VM {Describe(folderId, name)} was written by a newer HyperNest (schema {schema}); " +
                $"this one reads up to {VmConfiguration.CurrentSchemaVersion}");
        }

        VmConfiguration? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.VmConfiguration);
        }
        catch (JsonException e)
        {
            throw Corrupt(folderId, name, e.UserMessage());
        }

        if (config is null || config.Id != folderId)
        {
            throw Corrupt(folderId, name, config is null ? "empty" : $"its id is {config.Id}, not the folder's");
        }

        try
        {
            StoredConfiguration.Check(config);
        }
        catch (VmValidationException e)
        {
            throw Corrupt(folderId, name, e.UserMessage());
        }

        return config;
    }

    public static string Describe(Guid id, string? name) => name is null ? id.ToString() : $"'{name}' ({id})";

    private static VmStoreException Corrupt(Guid id, string? name, string why) =>
        new($"config of VM {Describe(id, name)} is corrupt: {why}");
}
