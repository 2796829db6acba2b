using System.Text.Json;
using System.Text.Json.Serialization;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Json;

/// <summary>
/// Reads and writes an enum in JSON by its names only, for every enum HyperNest reads from outside (config.json, the
/// control protocol, saved-state files). A value is one defined name, matched without regard to case; a
/// <see cref="FlagsAttribute"/> enum also takes defined names joined by ", " (as it writes a combination). A number (as
/// JSON or as a string), a name the enum does not define, or any other token is refused with a
/// <see cref="JsonException"/> naming the value and the names allowed: System.Text.Json's string enum converter takes
/// numbers, so a peer could hand the code a value it does not know (a VM state 7). Put it on the enum:
/// <c>[JsonConverter(typeof(EnumNameConverter&lt;T&gt;))]</c>.
/// </summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class EnumNameConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly string[] Names = Enum.GetNames<TEnum>();
    private static readonly bool IsFlags = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);
    private static readonly string What = Words(typeof(TEnum).Name);
    private static readonly string Expected = $"{(IsFlags ? "names among" : "one of")} {string.Join(", ", Names)}";

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            string given = reader.TokenType switch
            {
                JsonTokenType.Number => $"{What} {Shown(System.Text.Encoding.UTF8.GetString(reader.ValueSpan))}",
                JsonTokenType.StartObject => $"a {What} given as an object",
                JsonTokenType.StartArray => $"a {What} given as a list",
                var token => $"a {What} given as {token.ToString().ToLowerInvariant()}",
            };
            throw new JsonException($"{given} is none HyperNest knows; expected {Expected}");
        }

        string text = reader.GetString()!;
        return Parse(text) ?? throw new JsonException($"{What} '{Shown(text)}' is none HyperNest knows; expected {Expected}");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

    public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());

    /// <summary>
    /// The value <paramref name="text"/> names, by the rule above (defined names only, any case; several joined by ","
    /// for a flags enum), or null when it names none. The CLI reads its enum options with it too.
    /// </summary>
    public static TEnum? Parse(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 1 && !IsFlags)
        {
            return null;
        }

        ulong bits = 0;
        foreach (string part in parts)
        {
            if (Array.Find(Names, name => string.Equals(name, part, StringComparison.OrdinalIgnoreCase)) is not { } name)
            {
                return null;
            }

            bits |= Convert.ToUInt64(Enum.Parse<TEnum>(name), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (TEnum)Enum.ToObject(typeof(TEnum), bits);
    }

    /// <summary>What a peer sent, as a refusal may quote it: at most 40 characters, control characters as '?'.</summary>
    private static string Shown(string text) => ExceptionMessages.Printable(text, maxLength: 40);

    /// <summary>A type name as words: "StopAction" → "stop action".</summary>
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
