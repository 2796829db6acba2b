using HyperNest.Kvm;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HyperNest.Management.Worker;

/// <summary>
/// The control protocol's messages from bytes, for both ends and both channels: a worker reads requests with
/// <see cref="ReadRequest"/> (its socket and the emulated host's port alike), the management side and the host's
/// worker read answers with <see cref="ParseAnswer"/>. Nothing a peer sends makes these throw anything but the
/// documented refusal: a line that is no request becomes the error answer's text.
/// </summary>
internal static class ControlMessages
{
    /// <summary>
    /// The next request on <paramref name="lines"/>: the request, or <see cref="ParsedRequest.Error"/> naming what is
    /// wrong with the line (the worker answers it with that error); null at the end of the channel.
    /// </summary>
    /// <exception cref="IOException">The channel failed.</exception>
    public static ParsedRequest? ReadRequest(ControlLineReader lines) => lines.Read(out ReadOnlySpan<byte> line) switch
    {
        ControlLine.End => null,
        ControlLine.TooLong => new ParsedRequest(null, $"malformed request: longer than {ControlLineReader.MaxLineBytes} bytes"),
        _ => ParseRequest(line),
    };

    /// <summary>One request line (without its '\n'): the request, or the error answer's text.</summary>
    public static ParsedRequest ParseRequest(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            return new ParsedRequest(null, "empty request", Blank: true);
        }

        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest) switch
            {
                null => new ParsedRequest(null, "malformed request: null is no request"),
                var request => new ParsedRequest(request, null),
            };
        }
        catch (JsonException e)
        {
            return new ParsedRequest(null, $"malformed request: {e.UserMessage()}");
        }
        catch (NotSupportedException)
        {
            // System.Text.Json's answer to an object without the "command" that says which request it is.
            return new ParsedRequest(null, "malformed request: it names no command");
        }
    }

    /// <summary>One answer line (without its '\n'): a worker's answer, or the emulated host's port message.</summary>
    /// <exception cref="JsonException">The line is no such message (the message says why).</exception>
    public static T? ParseAnswer<T>(ReadOnlySpan<byte> line, JsonTypeInfo<T> type)
        where T : class => JsonSerializer.Deserialize(line, type);
}

/// <summary>
/// A request line read: <see cref="Request"/>, or <see cref="Error"/> when the line is none; <see cref="Blank"/> for
/// an empty line (a channel of many lines skips it, a connection of one answers it).
/// </summary>
internal readonly record struct ParsedRequest(ControlRequest? Request, string? Error, bool Blank = false);
