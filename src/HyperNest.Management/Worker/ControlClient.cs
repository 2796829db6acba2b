using System.Net.Sockets;
using System.Text.Json;

namespace HyperNest.Management.Worker;

/// <summary>The management side of a worker's control socket.</summary>
internal static class ControlClient
{
    /// <summary>Sends one request; a refused connection or an error answer becomes a <see cref="VmOperationException"/>.</summary>
    public static ControlResponse Send(string socketPath, string vmName, ControlRequest request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = 35_000;
        ControlResponse? response;
        try
        {
            socket.Connect(ControlSocket.EndPoint(socketPath));
            ControlSocket.Send(socket, request, ControlJsonContext.Default.ControlRequest);
            response = ControlSocket.Receive(socket, ControlJsonContext.Default.ControlResponse);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException)
        {
            throw new VmOperationException($"the worker of '{vmName}' does not answer on its control socket: {e.Message}");
        }

        if (response is null)
        {
            throw new VmOperationException($"the worker of '{vmName}' closed its control socket without answering");
        }

        if (!response.Ok)
        {
            throw new VmOperationException($"the worker of '{vmName}' refused {request.Description}: {response.Error}");
        }

        return response;
    }
}
