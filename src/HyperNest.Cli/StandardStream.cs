using HyperNest.Kvm;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Cli;

/// <summary>
/// Fds 0, 1 and 2 as unbuffered streams. On a terminal, a plain stream on the fd: .NET's console streams initialise
/// a terminal (keypad-transmit mode, its own termios) on first use, which a guest's raw console must not get.
/// Elsewhere (a file, a pipe), .NET's console streams, which write(2) where the fd is — a FileStream on a regular
/// file would write at its own offset, over what others appended.
/// </summary>
public static class StandardStream
{
    public const int Input = 0;
    public const int Output = 1;
    public const int Error = 2;

    public static Stream Open(int fd)
    {
        if (RawTerminal.IsTerminal(fd))
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), fd == Input ? FileAccess.Read : FileAccess.Write, bufferSize: 0);
        }

        return fd switch
        {
            Input => Console.OpenStandardInput(),
            Output => Console.OpenStandardOutput(),
            _ => Console.OpenStandardError(),
        };
    }

    public static TextWriter Writer(int fd) => new StreamWriter(Open(fd)) { AutoFlush = true };
}
