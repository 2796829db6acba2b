using HyperNest.Kvm;
using HyperNest.Management.Worker;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperNest.Management.Model;

namespace HyperNest.Worker;

/// <summary>
/// The host end of the emulated host's control port: sends requests with ids and pairs the answers; passes the inner
/// worker's events on; recognises the init script's last line, "EXIT &lt;code&gt;".
/// </summary>
internal sealed class ControlPortClient
{
    private static ReadOnlySpan<byte> ExitPrefix => "EXIT "u8;
    private readonly Stream _port;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ControlResponse>> _waiting = new();
    private readonly Action<WorkerEvent> _onEvent;
    private readonly Thread _reader;
    private long _nextId;

    public ControlPortClient(Stream port, Action<WorkerEvent> onEvent)
    {
        _port = port;
        _onEvent = onEvent;
        _reader = new Thread(Read) { IsBackground = true, Name = "control-port-client" };
        _reader.Start();
    }

    /// <summary>The inner hnest's exit code, once the init script has reported it.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>What the init script said with its exit code (its own failure, code 125).</summary>
    public string? ExitDetail { get; private set; }

    /// <summary>Sends <paramref name="request"/>; the task ends with the answer, or an error answer if the port closes.</summary>
    public Task<ControlResponse> Send(ControlRequest request)
    {
        long id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(request with { Id = id }, ControlJsonContext.Default.ControlRequest);
        try
        {
            lock (_writeLock)
            {
                _port.Write(json);
                _port.Write("\n"u8);
                _port.Flush();
            }
        }
        catch (IOException e)
        {
            Fail(id, $"the emulated host's control port is closed: {e.UserMessage()}");
        }

        return answer.Task;
    }

    /// <summary>Answers every request still waiting with an error (the emulated host has ended).</summary>
    public void FailAll(string error)
    {
        foreach (long id in _waiting.Keys)
        {
            Fail(id, error);
        }
    }

    public void Join(TimeSpan timeout) => _reader.Join(timeout);

    private void Fail(long id, string error)
    {
        if (_waiting.TryRemove(id, out TaskCompletionSource<ControlResponse>? answer))
        {
            answer.TrySetResult(new ControlResponse { Id = id, Ok = false, State = VmState.Off, Error = error });
        }
    }

    private void Read()
    {
        var lines = new ControlLineReader(_port);
        try
        {
            ControlLine read;
            while ((read = lines.Read(out ReadOnlySpan<byte> line)) != ControlLine.End)
            {
                if (read == ControlLine.Line)
                {
                    Accept(ParseLine(line));
                }
            }
        }
        catch (IOException)
        {
            // QEMU closed the socket: the emulated host is gone.
        }

        FailAll("the emulated host has ended");
    }

    private void Accept(PortLine line)
    {
        if (line.ExitCode is { } code)
        {
            ExitDetail = line.ExitDetail;
            ExitCode = code;
        }

        if (line.Received?.Response is { Id: long id } response && _waiting.TryRemove(id, out TaskCompletionSource<ControlResponse>? answer))
        {
            answer.TrySetResult(response);
        }

        if (line.Received?.Event is { } workerEvent)
        {
            _onEvent(workerEvent);
        }
    }

    /// <summary>
    /// One line from the inner hnest (without its '\n'): the init script's "EXIT &lt;code&gt; [detail]", a
    /// <see cref="PortMessage"/>, or nothing: a line that is neither is dropped (nothing else writes this port; a torn
    /// line is not trusted).
    /// </summary>
    internal static PortLine ParseLine(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith(ExitPrefix))
        {
            string[] words = Encoding.UTF8.GetString(line[ExitPrefix.Length..]).Split(' ', 2);
            return int.TryParse(words[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int code)
                ? new PortLine(null, code, words.Length > 1 ? words[1] : null)
                : default;
        }

        try
        {
            return new PortLine(ControlMessages.ParseAnswer(line, ControlJsonContext.Default.PortMessage), null, null);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>A line of the control port: the inner hnest's exit (<see cref="ExitCode"/>), a message, or neither.</summary>
internal readonly record struct PortLine(PortMessage? Received, int? ExitCode, string? ExitDetail);
