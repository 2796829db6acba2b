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

    /// <summary>Reads one line (up to 1 MiB); null when the peer closed first.</summary>
    public static T? Receive<T>(Socket socket, JsonTypeInfo<T> type)
        where T : class
    {
        var line = new List<byte>();
        var buffer = new byte[1];
        while (socket.Receive(buffer) == 1)
        {
            if (buffer[0] == '\n')
            {
                return JsonSerializer.Deserialize(line.ToArray(), type);
            }

            if (line.Count > 1 << 20)
            {
                throw new JsonException("control message longer than 1 MiB");
            }

            line.Add(buffer[0]);
        }

        return null;
    }
}
