using HyperNest.Emulation.Cpio;
using HyperNest.Emulation.Qemu;

namespace HyperNest.Emulation.Image;

/// <summary>
/// What one run hands the emulated host, as a second initramfs archive appended to the cached image (Linux unpacks
/// concatenated newc archives in order): the hnest command line as /hnest/argv, one argument a line, and the VM's
/// kernel and initrd under /hnest/files.
/// </summary>
public sealed class RunPayload
{
    private readonly List<string> _arguments = [];
    private readonly List<(string InnerPath, string HostPath)> _files = [];
    private readonly List<EmulatedHostNic> _nics = [];

    /// <summary>The hnest arguments the emulated host runs ("run ..." or "worker ...").</summary>
    public IReadOnlyList<string> Arguments => _arguments;

    public RunPayload Argument(string argument)
    {
        if (argument.Contains('\n', StringComparison.Ordinal))
        {
            throw new EmulationException($"an argument for the emulated host contains a line break: '{argument.ReplaceLineEndings(" ")}'");
        }

        _arguments.Add(argument);
        return this;
    }

    /// <summary>Carries a host file; returns the path it has inside the emulated host.</summary>
    public string File(string hostPath, string name)
    {
        string inner = $"/hnest/files/{name}";
        _files.Add((inner, hostPath));
        return inner;
    }

    /// <summary>
    /// Carries a network adapter: /hnest/nics gets a line "&lt;inner bridge&gt; &lt;NIC MAC&gt;" from which the init
    /// script builds the bridge the inner hnest's <c>--nic bridge=</c> joins.
    /// </summary>
    public RunPayload Nic(EmulatedHostNic nic)
    {
        _nics.Add(nic);
        return this;
    }

    /// <summary>The payload's size in bytes, for sizing the emulated host's memory.</summary>
    public long FileBytes => _files.Sum(f => new FileInfo(f.HostPath).Length);

    /// <summary>Writes the image followed by this payload to <paramref name="output"/> (owner-only: it carries the VM's command line).</summary>
    public void WriteInitramfs(string image, string output)
    {
        using FileStream stream = Kvm.HostFileAccess.OwnerOnly.OpenFile(output, FileMode.Create);
        using (FileStream baseImage = System.IO.File.OpenRead(image))
        {
            baseImage.CopyTo(stream);
        }

        using var archive = new NewcArchiveWriter(stream, leaveOpen: true);
        archive.AddFile("hnest/argv", string.Concat(_arguments.Select(a => a + "\n")), BusyboxRoot.Readable);
        if (_nics.Count > 0)
        {
            archive.AddFile("hnest/nics", string.Concat(_nics.Select(n => $"{n.InnerBridge} {n.QemuMacAddress}\n")), BusyboxRoot.Readable);
        }

        foreach ((string inner, string host) in _files)
        {
            archive.AddHostFile(inner.TrimStart('/'), host, BusyboxRoot.Readable);
        }
    }
}
