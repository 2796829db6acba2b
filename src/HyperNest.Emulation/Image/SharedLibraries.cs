namespace HyperNest.Emulation.Image;

/// <summary>
/// The shared objects a dynamically linked host binary loads, as <c>ldd</c> lists them. The NativeAOT <c>hnest</c>
/// links glibc; the lab carries those files at the same absolute paths so the dynamic loader finds them without an
/// ld.so.cache.
/// </summary>
public static class SharedLibraries
{
    public static bool IsDynamic(string binary) => ProcessRunner.Run("ldd", [binary]).Succeeded;

    /// <summary>Absolute paths of the libraries and the dynamic loader; the vDSO (no file) is left out.</summary>
    public static IReadOnlyList<string> Of(string binary) =>
        ParseLdd(ProcessRunner.RunChecked("ldd", [binary]).StandardOutput);

    internal static IReadOnlyList<string> ParseLdd(string output)
    {
        var libraries = new List<string>();
        foreach (string rawLine in output.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Contains("=> not found", StringComparison.Ordinal))
            {
                throw new EmulationException($"ldd: {line}");
            }

            int arrow = line.IndexOf("=>", StringComparison.Ordinal);
            string path = (arrow >= 0 ? line[(arrow + 2)..] : line).Trim();
            int address = path.IndexOf(" (", StringComparison.Ordinal);
            path = address >= 0 ? path[..address] : path;
            if (path.StartsWith('/'))
            {
                libraries.Add(path);
            }
        }

        return libraries;
    }
}
