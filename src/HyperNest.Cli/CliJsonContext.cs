using System.Text.Json.Serialization;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Cli;

/// <summary>Source-generated JSON for <c>--json</c> output (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(VmInfo))]
[JsonSerializable(typeof(IReadOnlyList<VmInfo>))]
[JsonSerializable(typeof(IReadOnlyList<VmNetworkAdapter>))]
[JsonSerializable(typeof(IReadOnlyList<VmHardDiskDrive>))]
[JsonSerializable(typeof(IReadOnlyList<StoreProblem>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
