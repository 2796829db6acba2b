namespace HyperNest.Kvm;

/// <summary>
/// An exception's message as a HyperNest user may read it: one line, no .NET formatting. Every place that puts an
/// exception's message into a user-facing text (the CLI's error line, a PowerShell ErrorRecord, a VM's stop reason,
/// a worker's answer) takes it from here, never from <see cref="Exception.Message"/> (a test walks the sources for
/// that). What it removes: the " (Parameter 'x')" an <see cref="ArgumentException"/> appends for its ParamName, the
/// "Actual value was …" line of an <see cref="ArgumentOutOfRangeException"/>, and the wrapping of an
/// <see cref="AggregateException"/> or a <see cref="System.Reflection.TargetInvocationException"/> around one cause;
/// line breaks become "; ".
/// </summary>
public static class ExceptionMessages
{
    public static string UserMessage(this Exception exception)
    {
        Exception cause = exception;
        while (cause is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException { InnerException: not null })
        {
            cause = cause.InnerException!;
        }

        string message = cause is ArgumentException argument ? ArgumentMessage(argument) : cause.Message;
        return string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    // ArgumentException.Message is the message given, then (when ParamName is set) " (Parameter 'name')"; an
    // ArgumentOutOfRangeException adds "Actual value was X." on a line of its own when it has one.
    private static string ArgumentMessage(ArgumentException argument)
    {
        string message = argument.Message;
        if (argument is ArgumentOutOfRangeException { ActualValue: { } actual }
            && message.LastIndexOf('\n') is >= 0 and int line
            && message[(line + 1)..].Contains(actual.ToString() ?? "", StringComparison.Ordinal))
        {
            message = message[..line].TrimEnd('\r');
        }

        string suffix = $" (Parameter '{argument.ParamName}')";
        return argument.ParamName is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
