using System.Text.Json.Serialization;

namespace HyperNest.Management.Worker;

/// <summary>
/// The control protocol's JSON: compact (one message per line), source-generated. A peer's message is read as JSON
/// allows: "command" anywhere in the object; a null where the type has none (a request's data, an adapter's name) is
/// refused as the message's error rather than handed on to fail later.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(PortMessage))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
