using System.Text.Json;
using System.Text.RegularExpressions;

namespace HyperNest.Kvm;

/// <summary>
/// An exception's message as a HyperNest user may read it: one line, no .NET formatting. Every place that puts an
/// exception's message into a user-facing text (the CLI's error line, a PowerShell ErrorRecord, a VM's stop reason,
/// a worker's answer) takes it from here, never from <see cref="Exception.Message"/> (a test walks the sources for
/// that). What it removes: the " (Parameter 'x')" an <see cref="ArgumentException"/> appends for its ParamName, the
/// "Actual value was …" line of an <see cref="ArgumentOutOfRangeException"/>, and the wrapping of an
/// <see cref="AggregateException"/> or a <see cref="System.Reflection.TargetInvocationException"/> around one cause;
/// the .NET type names and "Path: … | LineNumber: …" of a <see cref="JsonException"/> (it says instead what kind of
/// value was expected and where: the JSON path, line and byte counted from 1); line breaks become "; ".
/// </summary>
public static partial class ExceptionMessages
{
    public static string UserMessage(this Exception exception)
    {
        Exception cause = exception;
        while (cause is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException { InnerException: not null })
        {
            cause = cause.InnerException!;
        }

        string message = cause switch
        {
            ArgumentException argument => ArgumentMessage(argument),
            JsonException json => JsonMessage(json),
            _ => cause.Message,
        };
        return string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// Text from outside (a name in a file, a value a peer sent) as a message may quote it: each control character
    /// shown as '?', and cut to <paramref name="maxLength"/> characters with "..." after it when longer.
    /// </summary>
    public static string Printable(string text, int maxLength = int.MaxValue) =>
        string.Concat(text.Take(maxLength).Select(c => char.IsControl(c) ? '?' : c)) + (text.Length > maxLength ? "..." : "");

    // ArgumentException.Message is the message given, then (when ParamName is set) " (Parameter 'name')"; an
    // ArgumentOutOfRangeException adds "Actual value was X." on a line of its own when it has one.
    private static string ArgumentMessage(ArgumentException argument)
    {
        string message = argument.Message;
        if (argument is ArgumentOutOfRangeException { ActualValue: { } actual }
            && message.LastIndexOf('\n') is >= 0 and int line
            && message[(line + 1)..].Contains(actual.ToString() ?? "", StringComparison.Ordinal))
        {
            message = message[..line].TrimEnd('\r');
        }

        string suffix = $" (Parameter '{argument.ParamName}')";
        return argument.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    // System.Text.Json's texts (its SR resources): "The JSON value could not be converted to T." (T is the member's
    // type, or for a constructor parameter the record's; the inner exception says what the reader met), "JSON
    // deserialization for type 'T' was missing required properties including: 'a'.", "The constructor parameter 'A'
    // on type 'T' doesn't allow null values. Consider …", each followed by "Path: … | LineNumber: … |
    // BytePositionInLine: …"; a reader error carries a "LineNumber: … | BytePositionInLine: …" of its own.
    private static string JsonMessage(JsonException json)
    {
        string message = JsonPosition().Replace(json.Message, "").Trim();
        if (NotConvertible().Match(message) is { Success: true } notConvertible)
        {
            message = $"expected {ExpectedKind(notConvertible.Groups["type"].Value, json.InnerException)}";
        }

        message = RequiredMissing().Replace(message, "required members are missing: ${names}");
        message = NullNotAllowed().Replace(message, "null is not allowed here");
        message = OnType().Replace(message, "");
        message = DotNetType().Replace(message, m => KindOf(m.Value));
        if (json.LineNumber is not { } line)
        {
            return message;
        }

        string path = json.Path is null or "$" ? "" : $"{json.Path.TrimStart('$').TrimStart('.')}, ";
        return $"{message.TrimEnd('.')} (at {path}line {line + 1}, byte {json.BytePositionInLine + 1})";
    }

    /// <summary>What the value should have been: from what the reader met (the inner exception), else the type.</summary>
    private static string ExpectedKind(string type, Exception? inner)
    {
        if (inner is not null && TokenMismatch().Match(inner.Message) is { Success: true } mismatch)
        {
            string want = mismatch.Groups["want"].Value switch
            {
                "boolean" => "true or false",
                var other => $"a {other}",
            };
            string got = mismatch.Groups["got"].Value switch
            {
                "String" => "a string",
                "Number" => "a number",
                "True" or "False" => "true or false",
                "StartObject" => "an object",
                "StartArray" => "a list",
                "Null" => "null",
                var other => other.ToLowerInvariant(),
            };
            return $"{want}, got {got}";
        }

        if (inner is FormatException && OutOfBounds().Match(inner.Message) is { Success: true } bounds)
        {
            return KindOf($"System.{bounds.Groups["type"].Value}");
        }

        if (inner is FormatException && UnsupportedFormat().Match(inner.Message) is { Success: true } format)
        {
            return format.Groups["what"].Value == "Guid" ? "a GUID" : $"a {format.Groups["what"].Value} in a supported format";
        }

        return KindOf(type);
    }

    /// <summary>What a .NET type's value is in JSON, in a user's words.</summary>
    private static string KindOf(string type) => type switch
    {
        "System.Int32" => "a whole number from -2147483648 to 2147483647",
        "System.Int64" => "a whole number from -9223372036854775808 to 9223372036854775807",
        "System.UInt32" => "a whole number from 0 to 4294967295",
        "System.UInt64" => "a whole number from 0 to 18446744073709551615",
        "System.Int16" => "a whole number from -32768 to 32767",
        "System.UInt16" => "a whole number from 0 to 65535",
        "System.Byte" => "a whole number from 0 to 255",
        "System.SByte" => "a whole number from -128 to 127",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.String" or "System.Char" => "a string",
        "System.Boolean" => "true or false",
        "System.Guid" => "a GUID",
        "System.DateTime" or "System.DateTimeOffset" => "a date and time (ISO 8601)",
        "System.TimeSpan" => "a time span (hh:mm:ss)",
        "System.Byte[]" => "base64 text",
        _ when type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) =>
            $"{KindOf(type["System.Nullable`1[".Length..].TrimStart('[').Split([',', ']'])[0])} or null",
        _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal)
            || type.Contains("Enumerable`1", StringComparison.Ordinal) || type.Contains("Collection`1", StringComparison.Ordinal)
            || type.Contains("Set`1", StringComparison.Ordinal) => "a list",
        _ => "an object",
    };

    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex JsonPosition();

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"token type '(?<got>\w+)' as an? (?<want>\w+)")]
    private static partial Regex TokenMismatch();

    [GeneratedRegex(@"out of bounds for an? (?<type>\w+)")]
    private static partial Regex OutOfBounds();

    [GeneratedRegex(@"not in a supported (?<what>\w+) format")]
    private static partial Regex UnsupportedFormat();

    [GeneratedRegex(@"JSON deserialization for type '[^']*' was missing required properties,? including:? (?<names>.*?)\.?$")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex(@"The (constructor parameter|property or field) '[^']*' on type '[^']*' doesn't allow (setting )?null values\.( Consider updating its nullability annotation\.)?")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex(@" (for|on|of|to) type '[^']*'")]
    private static partial Regex OnType();

    [GeneratedRegex(@"\b(System|HyperNest)\.[\w.`\[\],]+")]
    private static partial Regex DotNetType();
}
