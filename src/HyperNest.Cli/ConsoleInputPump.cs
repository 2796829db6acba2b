using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Cli;

/// <summary>Feeds the host's stdin to the guest's UART without overrunning its FIFO.</summary>
public sealed class ConsoleInputPump : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stopped;

    private ConsoleInputPump(Uart8250 uart)
    {
        _thread = new Thread(() => Pump(uart)) { IsBackground = true, Name = "console-input" };
    }

    public static ConsoleInputPump Start(Uart8250 uart)
    {
        var pump = new ConsoleInputPump(uart);
        pump._thread.Start();
        return pump;
    }

    public void Dispose() => _stopped = true;

    private void Pump(Uart8250 uart)
    {
        using Stream input = Console.OpenStandardInput();
        var buffer = new byte[Uart8250.FifoSize];
        while (!_stopped)
        {
            int read = input.Read(buffer, 0, buffer.Length);
            if (read <= 0)
            {
                return;
            }

            int offset = 0;
            while (offset < read && !_stopped)
            {
                offset += uart.Enqueue(buffer.AsSpan(offset, read - offset));
                if (offset < read)
                {
                    Thread.Sleep(1);
                }
            }
        }
    }
}
