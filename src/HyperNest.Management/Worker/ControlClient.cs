using HyperNest.Kvm;
using System.Net.Sockets;
using System.Text.Json;
using HyperNest.Management.Store;

namespace HyperNest.Management.Worker;

/// <summary>The management side of a worker's control socket.</summary>
internal static class ControlClient
{
    /// <summary>
    /// Sends one request; a refused connection or an error answer becomes a <see cref="VmOperationException"/>, a
    /// socket this process may not connect to or a worker that does not admit it a <see cref="HostPermissionException"/>.
    /// With <paramref name="refusalIsAnAnswer"/> an error answer is returned as it is (the caller words the refusal).
    /// </summary>
    public static ControlResponse Send(string socketPath, string vmName, ControlRequest request, bool refusalIsAnAnswer = false)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        // A save (a checkpoint) writes the guest's memory before it answers, a merge a disk's changes: minutes for a large guest on a slow disk.
        socket.ReceiveTimeout = request is SaveRequest or CheckpointRequest or MergeDiskRequest ? 600_000 : 35_000;
        ControlResponse? response;
        try
        {
            socket.Connect(ControlSocket.EndPoint(socketPath));
            ControlSocket.Send(socket, request, ControlJsonContext.Default.ControlRequest);
            response = ControlSocket.Receive(socket, ControlJsonContext.Default.ControlResponse);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new HostPermissionException(
                $"no permission to control '{vmName}': its control socket {socketPath} is open to {StoreAccess.WhoMay(socketPath, write: true)} only", HostPermission.Store);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException)
        {
            throw new VmOperationException($"the worker of '{vmName}' does not answer on its control socket: {e.UserMessage()}");
        }

        if (response is null)
        {
            throw new VmOperationException($"the worker of '{vmName}' closed its control socket without answering");
        }

        if (response.PermissionDenied == true)
        {
            throw new HostPermissionException($"no permission to control '{vmName}': {response.Error}", HostPermission.Store);
        }

        if (!response.Ok && !refusalIsAnAnswer)
        {
            throw new VmOperationException($"the worker of '{vmName}' refused {request.Description}: {response.Error}");
        }

        return response;
    }
}
