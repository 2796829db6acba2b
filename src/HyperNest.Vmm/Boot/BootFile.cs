using HyperNest.Kvm;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// A kernel or initrd on its way into guest RAM. Read into an anonymous mapping rather than a managed array: a
/// 14 MiB kernel in the GC heap stays committed for the VM's whole life (measured: it was most of the VMM's memory
/// overhead), while this mapping goes back to the host when the VM has loaded it and disposes it.
/// </summary>
public sealed class BootFile : IDisposable
{
    private readonly AnonymousMemoryManager? _manager;

    private BootFile(ReadOnlyMemory<byte> content, AnonymousMemoryManager? manager)
    {
        Content = content;
        _manager = manager;
    }

    public static BootFile None { get; } = new(ReadOnlyMemory<byte>.Empty, null);

    public ReadOnlyMemory<byte> Content { get; }

    public static BootFile FromBytes(byte[] bytes) => new(bytes, null);

    /// <summary>Reads <paramref name="path"/>; every failure is a <see cref="VmBuildException"/> naming it.</summary>
    public static BootFile Read(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new VmBuildException($"{what} '{path}' is a directory, not a file");
        }

        try
        {
            using FileStream file = File.OpenRead(path);
            if (file.Length > int.MaxValue)
            {
                throw new VmBuildException($"{what} '{path}' is larger than 2 GiB");
            }

            int length = (int)file.Length;
            ulong page = (ulong)Environment.SystemPageSize;
            var memory = new AnonymousMemory(Math.Max(page, ((ulong)length + page - 1) & ~(page - 1)));
            var manager = new AnonymousMemoryManager(memory, length);
            try
            {
                file.ReadExactly(manager.GetSpan());
                return new BootFile(manager.Memory, manager);
            }
            catch
            {
                ((IDisposable)manager).Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "does not exist",
                UnauthorizedAccessException => "is not readable (permission denied)",
                _ => $"cannot be read: {e.Message}",
            };
            throw new VmBuildException($"{what} '{path}' {reason}");
        }
    }

    public void Dispose() => ((IDisposable?)_manager)?.Dispose();
}
