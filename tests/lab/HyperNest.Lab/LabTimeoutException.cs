namespace HyperNest.Lab;

/// <summary>QEMU was killed at the timeout before a verdict; the serial log shows how far it got.</summary>
public sealed class LabTimeoutException(string log, string message) : Exception(message)
{
    public string Log { get; } = log;
}
