namespace HyperNest.Vmm.Tests.Disks;

/// <summary>A fresh folder in the temp folder for a test's images; deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hypernest-disks-{Guid.NewGuid():N}");

    /// <summary>The path of <paramref name="name"/> in this folder.</summary>
    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Writes <paramref name="content"/> as raw image <paramref name="name"/>; returns its path.</summary>
    public string Raw(string name, byte[] content)
    {
        File.WriteAllBytes(Path(name), content);
        return Path(name);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
