namespace HyperNest.Management.Worker;

/// <summary>
/// Splits a control channel (a worker's socket, the emulated host's control port) into its lines, each at most
/// <see cref="MaxLineBytes"/>: the peer decides what it sends, so a line's length is bounded before it is kept.
/// </summary>
/// <param name="stream">The channel, read as it comes (a read may return any part of a line).</param>
/// <param name="maxLineBytes">The limit; <see cref="MaxLineBytes"/> but in tests.</param>
internal sealed class ControlLineReader(Stream stream, int maxLineBytes = ControlLineReader.MaxLineBytes)
{
    /// <summary>The longest line kept, without its '\n': 1 MiB, far above any message of the protocol.</summary>
    public const int MaxLineBytes = 1 << 20;

    private readonly byte[] _buffer = new byte[4096];
    private readonly MemoryStream _line = new();
    private int _start, _end;
    private bool _skipping;

    /// <summary>The bytes held for the line being read: at most the limit and one read's worth.</summary>
    public int HeldBytes => _line.Capacity;

    /// <summary>
    /// The next line, without its '\n', in <paramref name="line"/> (valid until the next call). A line longer than
    /// the limit is <see cref="ControlLine.TooLong"/> as soon as it passes the limit, and the next
    /// call begins after its end. At the end of the stream, <see cref="ControlLine.End"/>: a last line without its
    /// '\n' is dropped, its writer having stopped mid-message.
    /// </summary>
    /// <exception cref="IOException">The stream failed (a socket's receive timeout included).</exception>
    public ControlLine Read(out ReadOnlySpan<byte> line)
    {
        line = default;
        _line.SetLength(0);
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = stream.Read(_buffer);
                if (_end == 0)
                {
                    return ControlLine.End;
                }
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            if (!_skipping)
            {
                _line.Write(_buffer, _start, stop - _start);
            }

            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0 && _skipping)
            {
                _skipping = false;
                _line.SetLength(0);
                continue;
            }

            if (!_skipping && _line.Length > maxLineBytes)
            {
                _skipping = newline < 0;
                _line.SetLength(0);
                return ControlLine.TooLong;
            }

            if (newline >= 0)
            {
                line = _line.GetBuffer().AsSpan(0, (int)_line.Length);
                return ControlLine.Line;
            }
        }
    }
}

/// <summary>What <see cref="ControlLineReader.Read"/> found.</summary>
internal enum ControlLine
{
    Line,
    TooLong,
    End,
}
