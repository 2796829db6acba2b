using System.Text.Json;
using HyperNest.Management.Worker;
using HyperNest.Worker;

namespace HyperNest.Fuzz.Control;

/// <summary>
/// The control protocol from bytes a peer sends, at both ends, without sockets: the channel is a stream that hands
/// over the bytes in chunks of a size the fuzzer picks (partial lines), read by the <see cref="ControlLineReader"/>
/// and parsed by the functions the worker and the management side call (<see cref="ControlMessages"/>,
/// <see cref="ControlPortClient.ParseLine"/>).
///
/// Input: a mode byte (bits 0–1: a worker reading requests; the management side reading a worker's answer; the
/// host's worker reading the emulated host's port: answers, events and "EXIT n"; bit 2: a line limit of 64–1084
/// bytes from the next byte instead of 1 MiB, so that over-long lines are reached), a chunk size byte, then the
/// channel's bytes, read to their end or <see cref="MaxLines"/> lines.
///
/// Allowed out: <see cref="JsonException"/> from <see cref="ControlMessages.ParseAnswer"/> only (the management side
/// turns it into "the worker of 'X' does not answer on its control socket: ..."); the worker side throws nothing and
/// answers every line that is no request with an error answer. Invariants: the bytes held for a line stay within
/// twice the limit and a read; each request line gives exactly a request or an error; a request has no null where its
/// type has none; a request or answer read, written and read again is written the same.
/// </summary>
public sealed class ControlProtocolTarget : IFuzzTarget
{
    private const int MaxLines = 8;

    public string Name => "control-protocol";

    public string Description => "control requests and answers from peer bytes; error answer for each bad line, bounded, round-trips";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInput(input);
        byte mode = reader.Byte();
        int limit = (mode & 4) != 0 ? 64 + (reader.Byte() * 4) : ControlLineReader.MaxLineBytes;
        int chunk = Math.Max(1, (int)reader.Byte());
        var lines = new ControlLineReader(new ChunkedStream(reader.Rest().ToArray(), chunk), limit);
        for (int i = 0; i < MaxLines; i++)
        {
            if ((mode & 3) is 0 or 3)
            {
                // The worker's own read: the line, or the error answer for one past the limit.
                ParsedRequest? parsed = ControlMessages.ReadRequest(lines);
                CheckHeld(lines, limit);
                if (parsed is not { } request)
                {
                    return;
                }

                CheckRequest(request);
                continue;
            }

            ControlLine read = lines.Read(out ReadOnlySpan<byte> line);
            CheckHeld(lines, limit);
            if (read == ControlLine.End)
            {
                return;
            }

            InvariantViolation.Check(read == ControlLine.TooLong || line.Length <= limit, "a line past the limit was returned");
            if (read == ControlLine.Line && (mode & 3) == 1)
            {
                CheckAnswer(line);
            }
            else if (read == ControlLine.Line)
            {
                CheckPortLine(line);
            }
        }
    }

    private static void CheckHeld(ControlLineReader lines, int limit) =>
        InvariantViolation.Check(lines.HeldBytes <= 2 * (limit + 4096), $"{lines.HeldBytes} bytes held for a line (limit {limit})");

    private static void CheckRequest(ParsedRequest parsed)
    {
        InvariantViolation.Check((parsed.Request is null) != (parsed.Error is null), "a request line gave both or neither a request and an error");
        if (parsed.Request is not { } request)
        {
            InvariantViolation.Check(parsed.Error!.Length > 0 && !parsed.Error.Contains('\n'), "an error answer that is not one line");
            return;
        }

        CheckNoNulls(request);
        byte[] once = JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest);
        ParsedRequest again = ControlMessages.ParseRequest(once);
        InvariantViolation.Check(again.Request is not null, $"a request written back does not read: {again.Error}");
        byte[] twice = JsonSerializer.SerializeToUtf8Bytes(again.Request!, ControlJsonContext.Default.ControlRequest);
        InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "a request read, written and read again is written differently");
    }

    private static void CheckNoNulls(ControlRequest request)
    {
        bool whole = request switch
        {
            InputRequest r => r.Data is not null,
            NetworkAdapterRequest r => r.Adapter is not null,
            MemoryRequest r => r.Memory is not null,
            CheckpointRequest r => r.StateFile is not null && r.MemoryFile is not null && r.Disks is not null
                && r.Disks.All(d => d is { Image: not null, Overlay: not null }),
            MergeDiskRequest r => r.Overlay is not null && r.Into is not null && r.Rebase is not null && r.Rebase.All(p => p is not null)
                && Enum.IsDefined(r.IntoFormat),
            _ => true,
        };
        InvariantViolation.Check(whole, $"a {request.Description} request was read with a null or undefined value where its type has none");
    }

    private static void CheckAnswer(ReadOnlySpan<byte> line)
    {
        ControlResponse? answer;
        try
        {
            answer = ControlMessages.ParseAnswer(line, ControlJsonContext.Default.ControlResponse);
        }
        catch (JsonException)
        {
            return;
        }

        if (answer is null)
        {
            return;
        }

        InvariantViolation.Check(Enum.IsDefined(answer.State), $"an answer was read with the undefined state {(int)answer.State}");
        InvariantViolation.Check(
            answer.NetworkAdapters is null || answer.NetworkAdapters.All(a => a is { Name: not null, MacAddress: not null, IPAddresses: not null, LearnedAddresses: not null }),
            "an answer's adapter was read with a null where its type has none");
        byte[] once = JsonSerializer.SerializeToUtf8Bytes(answer, ControlJsonContext.Default.ControlResponse);
        byte[] twice = JsonSerializer.SerializeToUtf8Bytes(
            ControlMessages.ParseAnswer(once, ControlJsonContext.Default.ControlResponse)!, ControlJsonContext.Default.ControlResponse);
        InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "an answer read, written and read again is written differently");
    }

    private static void CheckPortLine(ReadOnlySpan<byte> line)
    {
        PortLine parsed = ControlPortClient.ParseLine(line);
        InvariantViolation.Check(parsed.ExitCode is null || line.StartsWith("EXIT "u8), "an exit code from a line that is no EXIT line");
        if (parsed.Received is { } message)
        {
            InvariantViolation.Check(message.Event?.State is not { } state || Enum.IsDefined(state), "an event with an undefined state");
            byte[] once = JsonSerializer.SerializeToUtf8Bytes(message, ControlJsonContext.Default.PortMessage);
            byte[] twice = JsonSerializer.SerializeToUtf8Bytes(
                ControlMessages.ParseAnswer(once, ControlJsonContext.Default.PortMessage)!, ControlJsonContext.Default.PortMessage);
            InvariantViolation.Check(once.AsSpan().SequenceEqual(twice), "a port message read, written and read again is written differently");
        }
    }

    /// <summary>A channel that hands its bytes over at most <paramref name="chunk"/> at a time, as a socket may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
