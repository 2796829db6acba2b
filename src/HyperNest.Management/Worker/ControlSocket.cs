using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HyperNest.Management.Worker;

/// <summary>The wire format both ends share: one JSON object per line over a Unix domain stream socket.</summary>
internal static class ControlSocket
{
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    public static UnixDomainSocketEndPoint EndPoint(string path)
    {
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new VmOperationException($"the control socket path {path} is longer than {MaxPathBytes} bytes: use a shorter HYPERNEST_HOME");
        }

        return new UnixDomainSocketEndPoint(path);
    }

    public static void Send<T>(Socket socket, T message, JsonTypeInfo<T> type)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(message, type);
        socket.Send(json);
        socket.Send("\n"u8);
    }

    /// <summary>Reads one answer line (<see cref="ControlLineReader"/>); null when the peer closed first.</summary>
    /// <exception cref="JsonException">The line is too long or no such message.</exception>
    public static T? Receive<T>(Socket socket, JsonTypeInfo<T> type)
        where T : class
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        return new ControlLineReader(stream).Read(out ReadOnlySpan<byte> line) switch
        {
            ControlLine.End => null,
            ControlLine.TooLong => throw new JsonException($"control message longer than {ControlLineReader.MaxLineBytes} bytes"),
            _ => ControlMessages.ParseAnswer(line, type),
        };
    }
}
