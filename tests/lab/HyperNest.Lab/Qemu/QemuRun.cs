namespace HyperNest.Lab.Qemu;

/// <summary>How a QEMU run ended: by itself (exit code), or killed at the timeout.</summary>
public sealed record QemuRun(bool TimedOut, int ExitCode, TimeSpan Elapsed, TimeSpan? InitReachedAfter);
