using System.Text.Json.Serialization;

namespace HyperNest.Management.Worker;

/// <summary>
/// The control protocol's JSON: compact (one message per line), source-generated. A peer's message is read as JSON
/// allows: "command" anywhere in the object; a null where the type has none (a request's data, an adapter's name) is
/// refused as the message's error rather than handed on to fail later, and so is a positional member left out (a
/// checkpoint disk without its image). A nullable positional member that may be left out (the writer omits nulls)
/// has a default value in its constructor, which makes it optional.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(PortMessage))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
