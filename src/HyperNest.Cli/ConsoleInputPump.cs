using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Cli;

/// <summary>
/// Feeds the host's stdin to the guest's UART without overrunning its FIFO. Ctrl-] (0x1D), the escape of telnet and
/// virsh console, is not forwarded: it calls <c>onEscape</c> (hnest run stops the VM). The UART is asked for at each
/// read: a VM restarted after a reboot has a new one.
/// </summary>
public sealed class ConsoleInputPump : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopped;

    public const byte EscapeKey = 0x1D;

    private ConsoleInputPump(Func<Uart8250> uart, Action onEscape)
    {
        _thread = new Thread(() => Pump(uart, onEscape)) { IsBackground = true, Name = "console-input" };
    }

    public static ConsoleInputPump Start(Func<Uart8250> uart, Action onEscape)
    {
        var pump = new ConsoleInputPump(uart, onEscape);
        pump._thread.Start();
        return pump;
    }

    public void Dispose() => _stopped = true;

    private void Pump(Func<Uart8250> uart, Action onEscape)
    {
        // fd 0 directly: .NET's console stream would apply its own terminal handling on top of our raw mode.
        using Stream input = StandardStream.Open(StandardStream.Input);
        var buffer = new byte[Uart8250.FifoSize];
        while (!_stopped)
        {
            int read = input.Read(buffer, 0, buffer.Length);
            if (read <= 0)
            {
                return;
            }

            int escape = Array.IndexOf(buffer, EscapeKey, 0, read);
            if (escape >= 0)
            {
                read = escape;
                _stopped = true;
                onEscape();
            }

            uart().Feed(buffer.AsSpan(0, read), DateTimeOffset.MaxValue, () => _stopped);
        }
    }
}
