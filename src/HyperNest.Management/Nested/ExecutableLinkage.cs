namespace HyperNest.Management.Nested;

/// <summary>How a file is linked, read from its ELF program headers (a PT_INTERP header makes it dynamic).</summary>
public enum ExecutableLinkage
{
    /// <summary>No such file.</summary>
    Missing,

    /// <summary>An ELF executable without a program interpreter: it runs with no libraries beside it.</summary>
    Static,

    /// <summary>An ELF executable that names a program interpreter (ld.so) and loads shared libraries.</summary>
    Dynamic,

    /// <summary>Not a little-endian ELF file, or unreadable.</summary>
    Unrecognized,
}
