using System.Text.Json.Serialization;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
using HyperNest.Management.Store;

namespace HyperNest.Cli.Json;

/// <summary>Source-generated JSON for every --json output (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(NestedStatusDocument))]
[JsonSerializable(typeof(CpuidDump))]
[JsonSerializable(typeof(VmInfo))]
[JsonSerializable(typeof(IReadOnlyList<VmInfo>))]
[JsonSerializable(typeof(IReadOnlyList<VmNetworkAdapter>))]
[JsonSerializable(typeof(IReadOnlyList<NetworkAdapterInfo>))]
[JsonSerializable(typeof(IReadOnlyList<VmHardDiskDrive>))]
[JsonSerializable(typeof(IReadOnlyList<StoreProblem>))]
[JsonSerializable(typeof(Management.Checkpoints.CheckpointInfo))]
[JsonSerializable(typeof(IReadOnlyList<Management.Checkpoints.CheckpointInfo>))]
[JsonSerializable(typeof(Management.Disks.VirtualHardDisk))]
[JsonSerializable(typeof(VirtualSwitchInfo))]
[JsonSerializable(typeof(IReadOnlyList<VirtualSwitchInfo>))]
[JsonSerializable(typeof(VmHostInfo))]
[JsonSerializable(typeof(VmMeasurement))]
public sealed partial class CliJsonContext : JsonSerializerContext;
