namespace HyperNest.Worker.Memory;

/// <summary>The host's memory as Dynamic Memory needs it (from /proc on Linux).</summary>
internal interface IHostMemory
{
    /// <summary>/proc/meminfo MemTotal, in bytes.</summary>
    ulong TotalBytes { get; }

    /// <summary>/proc/meminfo MemAvailable, in bytes.</summary>
    ulong AvailableBytes { get; }

    /// <summary>This process's resident set (/proc/self/status VmRSS), in bytes.</summary>
    ulong OwnResidentBytes { get; }
}
