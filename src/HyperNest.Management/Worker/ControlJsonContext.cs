using System.Text.Json.Serialization;

namespace HyperNest.Management.Worker;

/// <summary>The control protocol's JSON: compact (one message per line), source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(PortMessage))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
