namespace HyperNest.Management.Store;

/// <summary>The steps of an atomic file replacement, in order; a crash before any of them leaves the old file intact.</summary>
public enum AtomicWriteStep
{
    CreateTemporary,
    WriteContent,
    FlushFile,
    Rename,
    FlushDirectory,
}
