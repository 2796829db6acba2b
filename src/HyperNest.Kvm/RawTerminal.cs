namespace HyperNest.Kvm;

/// <summary>
/// Puts a terminal into raw mode for a VM console (every key, Ctrl-C included, goes to the guest) and restores it
/// on dispose. Does nothing when the descriptor is not a terminal.
/// </summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly byte[]? _saved;

    private RawTerminal(int fd, byte[]? saved)
    {
        _fd = fd;
        _saved = saved;
    }

    public static bool IsTerminal(int fd) => Interop.IsATty(fd) == 1;

    public static RawTerminal Enter(int fd = 0)
    {
        if (!IsTerminal(fd))
        {
            return new RawTerminal(fd, null);
        }

        var saved = new byte[Interop.TermiosBytes];
        var raw = new byte[Interop.TermiosBytes];
        fixed (byte* savedPointer = saved, rawPointer = raw)
        {
            if (Interop.TcGetAttr(fd, savedPointer) != 0)
            {
                return new RawTerminal(fd, null);
            }

            saved.CopyTo(raw, 0);
            Interop.CfMakeRaw(rawPointer);
            if (Interop.TcSetAttr(fd, Interop.TCSANOW, rawPointer) != 0)
            {
                return new RawTerminal(fd, null);
            }
        }

        return new RawTerminal(fd, saved);
    }

    public void Dispose()
    {
        if (_saved is null)
        {
            return;
        }

        fixed (byte* saved = _saved)
        {
            _ = Interop.TcSetAttr(_fd, Interop.TCSANOW, saved);
        }
    }
}
