using System.Globalization;
using Microsoft.Extensions.Logging;

namespace HyperNest.Worker;

/// <summary>
/// An <see cref="ILogger"/> that writes one line per entry — "2026-11-29T16:52:12.345Z info [1] message", with
/// "(source) " before the message when given — to a writer (the worker's stderr, which is worker.log once it has detached). No logging framework beyond the
/// abstractions: nothing to configure, nothing reflected over (NativeAOT).
/// </summary>
public sealed class LineLogger(TextWriter output, string? source = null) : ILogger
{
    private readonly Lock _lock = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string level = logLevel switch
        {
            LogLevel.Warning => "warn",
            LogLevel.Error or LogLevel.Critical => "error",
            _ => "info",
        };
        string time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            output.WriteLine($"{time} {level} [{eventId.Id}] {(source is null ? "" : $"({source}) ")}{formatter(state, exception)}");
            if (exception is not null)
            {
                output.WriteLine(exception);
            }

            output.Flush();
        }
    }
}
