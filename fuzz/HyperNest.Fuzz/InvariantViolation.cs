using System.Runtime.CompilerServices;

namespace HyperNest.Fuzz;

/// <summary>An invariant a target checks did not hold: a finding, as much as an escaped exception is.</summary>
public sealed class InvariantViolation(string message) : Exception(message)
{
    /// <summary>Throws when <paramref name="holds"/> is false.</summary>
    public static void Check(bool holds, string invariant)
    {
        if (!holds)
        {
            throw new InvariantViolation(invariant);
        }
    }

    /// <summary>
    /// Throws when <paramref name="holds"/> is false, with <paramref name="invariant"/> formatted only then: a check
    /// run for every byte or every input costs no string when it holds.
    /// </summary>
    public static void Check(bool holds, [InterpolatedStringHandlerArgument(nameof(holds))] ref FailureMessage invariant)
    {
        if (!holds)
        {
            throw new InvariantViolation(invariant.ToStringAndClear());
        }
    }

    /// <summary>An interpolated message whose parts are formatted only when the check failed.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private DefaultInterpolatedStringHandler _inner;
        private readonly bool _failed;

        public FailureMessage(int literalLength, int formattedCount, bool holds, out bool shouldAppend)
        {
            _failed = !holds;
            shouldAppend = _failed;
            _inner = _failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        public string ToStringAndClear() => _failed ? _inner.ToStringAndClear() : string.Empty;
    }
}
