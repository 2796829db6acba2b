using System.Text;

namespace HyperNest.Emulation.Image;

/// <summary>
/// The loadable modules of an unpacked kernel package, found by name, with their dependencies in load order.
/// Busybox <c>insmod</c> resolves nothing itself and the package has no modules.dep (depmod makes it at install),
/// so dependencies come from each module's <c>.modinfo</c> "depends=" string.
/// </summary>
public sealed class KernelModules
{
    public const string CompressedXzSuffix = ".ko.xz";
    public const string CompressedZstdSuffix = ".ko.zst";

    private readonly Dictionary<string, string> _files;

    /// <summary>Modules compiled into the kernel (modules.builtin): present without a file to load.</summary>
    private readonly HashSet<string> _builtIn;

    public KernelModules(string modulesDirectory)
    {
        _files = Directory.EnumerateFiles(modulesDirectory, "*.ko*", SearchOption.AllDirectories)
            .ToDictionary(NameOf, StringComparer.Ordinal);
        string builtIn = Path.Combine(modulesDirectory, "modules.builtin");
        _builtIn = File.Exists(builtIn)
            ? File.ReadLines(builtIn).Where(l => l.Length > 0).Select(NameOf).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>A module and its uncompressed object, ready to be written as <c>&lt;Name&gt;.ko</c>.</summary>
    public sealed record Module(string Name, byte[] Content)
    {
        public string FileName => $"{Name}.ko";
    }

    /// <summary>The named modules and everything they depend on, each once, dependencies first.</summary>
    public IReadOnlyList<Module> InLoadOrder(params string[] names)
    {
        var ordered = new List<Module>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            Visit(Canonical(name), ordered, visited);
        }

        return ordered;
    }

    internal static IReadOnlyList<string> DependenciesOf(byte[] module)
    {
        ReadOnlySpan<byte> key = "\0depends="u8;
        int at = module.AsSpan().IndexOf(key);
        if (at < 0)
        {
            return [];
        }

        ReadOnlySpan<byte> rest = module.AsSpan(at + key.Length);
        int end = rest.IndexOf((byte)0);
        string value = Encoding.ASCII.GetString(end >= 0 ? rest[..end] : rest);
        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private void Visit(string name, List<Module> ordered, HashSet<string> visited)
    {
        if (!visited.Add(name) || (_builtIn.Contains(name) && !_files.ContainsKey(name)))
        {
            return;
        }

        if (!_files.TryGetValue(name, out string? file))
        {
            throw new EmulationException($"kernel module '{name}' is not in the kernel package");
        }

        byte[] content = Read(file);
        foreach (string dependency in DependenciesOf(content))
        {
            Visit(Canonical(dependency), ordered, visited);
        }

        ordered.Add(new Module(name, content));
    }

    private static byte[] Read(string file)
    {
        if (file.EndsWith(CompressedXzSuffix, StringComparison.Ordinal))
        {
            return Decompress("xz", file);
        }

        return file.EndsWith(CompressedZstdSuffix, StringComparison.Ordinal) ? Decompress("zstd", file) : File.ReadAllBytes(file);
    }

    private static byte[] Decompress(string tool, string file)
    {
        string output = Path.Combine(Path.GetTempPath(), $"hnest-lab-{Guid.NewGuid():N}.ko");
        try
        {
            // Made owner-only first: the shell's redirection truncates it and keeps its mode.
            Kvm.HostFileAccess.OwnerOnly.OpenFile(output, FileMode.CreateNew).Dispose();
            // The tool writes to a file, not to a captured pipe, because module objects are binary.
            ProcessRunner.RunChecked("sh", ["-c", $"{tool} -dc \"$1\" > \"$2\"", "sh", file, output]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Module names use '_' where file names may use '-' (kvm-amd.ko is module kvm_amd).</summary>
    private static string Canonical(string name) => name.Replace('-', '_');

    private static string NameOf(string file)
    {
        string name = Path.GetFileName(file);
        return Canonical(name[..name.IndexOf(".ko", StringComparison.Ordinal)]);
    }
}
