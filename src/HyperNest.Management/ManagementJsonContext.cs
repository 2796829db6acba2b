using System.Text.Json.Serialization;
using HyperNest.Management.Memory;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
using HyperNest.Management.Worker;

namespace HyperNest.Management;

/// <summary>Source-generated JSON for the store and the worker protocol (no reflection: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VmConfiguration))]
[JsonSerializable(typeof(RuntimeRecord))]
[JsonSerializable(typeof(VirtualSwitch))]
[JsonSerializable(typeof(VmMemoryReport))]
[JsonSerializable(typeof(Checkpoints.CheckpointTree))]
[JsonSerializable(typeof(HostSettings))]
[JsonSerializable(typeof(Lifecycle.RunningAtStop))]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
