using HyperNest.Management.Worker;
using System.Text.Json;
using HyperNest.Management.Model;

namespace HyperNest.Worker;

/// <summary>
/// The inner end of the emulated host's control port, spoken by <c>hnest run --control-fd</c> inside it: request
/// lines in (queued for the <see cref="VmController"/>, answered with their id), answers and <see cref="WorkerEvent"/>s
/// out, one JSON object a line. It is also the controller's state reporter: each state change is an event.
/// </summary>
public sealed class ControlPortServer : IVmStateReporter, IDisposable
{
    private readonly Stream _port;
    private readonly Lock _writeLock = new();
    private Thread? _reader;

    public ControlPortServer(Stream port) => _port = port;

    public VmState State { get; private set; } = VmState.Starting;

    public void Write(VmState state)
    {
        State = state;
        Send(new PortMessage { Event = new WorkerEvent { State = state } });
    }

    public void Restarted()
    {
        State = VmState.Running;
        Send(new PortMessage { Event = new WorkerEvent { State = VmState.Running, Restarted = true } });
    }

    /// <summary>The VM has ended (or never started); the last message before hnest exits.</summary>
    public void Ended(string reason, bool failedToStart = false) =>
        Send(new PortMessage { Event = new WorkerEvent { EndReason = reason, FailedToStart = failedToStart } });

    /// <summary>Starts reading requests into <paramref name="controller"/>'s queue.</summary>
    internal void Serve(VmController controller)
    {
        _reader = new Thread(() => ReadRequests(controller)) { IsBackground = true, Name = "control-port" };
        _reader.Start();
    }

    public void Dispose() => _port.Dispose();

    private void ReadRequests(VmController controller)
    {
        var lines = new ControlLineReader(_port);
        while (ReadRequest(lines) is { } read)
        {
            if (read.Request is not { } request)
            {
                Send(new PortMessage { Response = new ControlResponse { Ok = false, State = State, Error = read.Error } });
                continue;
            }

            var pending = new PendingCommand(request);
            pending.Reply.Task.ContinueWith(t => Send(new PortMessage { Response = t.Result }), TaskScheduler.Default);
            try
            {
                controller.Queue.Add(pending);
            }
            catch (InvalidOperationException)
            {
                pending.Reply.TrySetResult(new ControlResponse { Id = request.Id, Ok = false, State = State, Error = "the VM is stopping" });
            }
        }
    }

    /// <summary>The next request or refusal on the port, blank lines skipped; null once the host side has gone.</summary>
    private static ParsedRequest? ReadRequest(ControlLineReader lines)
    {
        try
        {
            ParsedRequest? read;
            do
            {
                read = ControlMessages.ReadRequest(lines);
            }
            while (read is { Blank: true });
            return read;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Send(PortMessage message)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(message, ControlJsonContext.Default.PortMessage);
        lock (_writeLock)
        {
            try
            {
                _port.Write(json);
                _port.Write("\n"u8);
                _port.Flush();
            }
            catch (IOException)
            {
                // The host side is gone; the VM goes on until it ends or the emulated host is turned off.
            }
        }
    }
}
