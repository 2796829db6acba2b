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

    private const uint OutputPostProcess = 0x1;
    private const uint MapNewlineToCrNl = 0x4;

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
            // Raw input, but output as before: cfmakeraw also clears OPOST, and a guest that ends its lines with a
            // bare '\n' (the built-in guest, a shell's output through a raw serial line) would staircase.
            // struct termios (Linux): c_iflag at 0, c_oflag at 4; OPOST 0x1, ONLCR 0x4 (termios(3)).
            *(uint*)(rawPointer + 4) |= OutputPostProcess | MapNewlineToCrNl;
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
