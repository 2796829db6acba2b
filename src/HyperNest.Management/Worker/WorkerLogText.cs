namespace HyperNest.Management.Worker;

/// <summary>Words of worker.log that management reads back (a worker that died before writing runtime.json).</summary>
public static class WorkerLogText
{
    /// <summary>What the line about a failed start says before the reason.</summary>
    public const string FailedToStart = "failed to start: ";
}
