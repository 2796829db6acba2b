using System.Text.Json.Serialization;

namespace HyperNest.Cli.Json;

/// <summary>Source-generated JSON for every --json output (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(NestedStatusDocument))]
[JsonSerializable(typeof(CpuidDump))]
public sealed partial class CliJsonContext : JsonSerializerContext;
