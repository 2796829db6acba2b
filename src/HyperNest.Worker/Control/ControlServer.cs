using HyperNest.Kvm;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net.Sockets;

namespace HyperNest.Worker;

/// <summary>
/// The worker's control socket. Each connection carries one request line and gets one answer line. Requests are
/// parsed here and handed to the worker's control thread over a queue (request → typed action → the VM's
/// control thread): this thread never touches the VM. The socket has the store's access (0600, or 0660 for the sharing
/// group), and each peer is checked again at the door (SO_PEERCRED): one that is not root, this worker's user or a
/// member of the group is refused, and the refusal is logged. The group is looked up for each connection, so one
/// made while the VM runs is let in once the store has been brought to it.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);
    private readonly Socket _listener;
    private readonly BlockingCollection<PendingCommand> _queue;
    private readonly Thread _thread;
    private readonly string _path;
    private readonly VmStore _store;
    private readonly ILogger _log;
    private volatile bool _disposed;

    public ControlServer(string path, BlockingCollection<PendingCommand> queue, VmStore store, ILogger log)
    {
        _path = path;
        _queue = queue;
        _store = store;
        _log = log;
        File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        store.Access.Bind(_listener, ControlSocket.EndPoint(path));
        _listener.Listen(16);
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "control-socket" };
        _thread.Start();
    }

    /// <summary>
    /// Stops taking connections. An answer being sent goes out first (a save's answer comes just before the run ends,
    /// and a worker that exits before writing it leaves its client with a closed socket), waiting at most
    /// <see cref="AnswerGrace"/>.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
        _thread.Join(AnswerGrace);
        File.Delete(_path);
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                client.ReceiveTimeout = (int)RequestTimeout.TotalMilliseconds;
                try
                {
                    ControlSocket.Send(client, Handle(client), ControlJsonContext.Default.ControlResponse);
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // The client went away; the next one is served.
                }
            }
        }
    }

    private ControlResponse Handle(Socket client)
    {
        ParsedRequest? read;
        using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            read = ControlMessages.ReadRequest(new ControlLineReader(stream));
        }

        ControlRequest? request = read?.Request;
        // The request is read first, whoever sent it: the refusal names it in the log, and the client gets its answer
        // line instead of a reset for a request the worker never read.
        PeerCredentials peer = PeerCredentials.Of(client);
        HostFileAccess access = _store.Access;
        if (!access.Admits(peer))
        {
            string admitted = StoreAccess.Admitted(access);
            WorkerLog.ControlRefused(_log, request?.Description ?? "unreadable", peer.UserId, peer.ProcessId, admitted);
            return new ControlResponse { Ok = false, PermissionDenied = true, Error = $"its worker takes requests only from {admitted}" };
        }

        if (request is null)
        {
            return new ControlResponse { Ok = false, Error = read?.Error ?? "empty request" };
        }

        var pending = new PendingCommand(request);
        try
        {
            _queue.Add(pending);
        }
        catch (InvalidOperationException)
        {
            return new ControlResponse { Ok = false, Error = "the VM is stopping" };
        }

        return pending.Reply.Task.Wait(RequestTimeout) ? pending.Reply.Task.Result : new ControlResponse { Ok = false, Error = "the worker did not answer in time" };
    }
}
