namespace HyperNest.Cli.Tests;

/// <summary>
/// What hnest run may print on stderr besides errors: auto's announcement of the emulated host, and the progress of
/// building the emulated host's image the first time. Anything else on stderr of a successful run is a defect.
/// </summary>
public static class AcceleratorNotices
{
    private static readonly string[] Prefixes =
    [
        "hnest: accelerator emulated: ",
        "hnest: building the emulated host's image",
        "hnest: adding kvm_amd, the virtio modules",
        "hnest: emulated host image ready",
        "hnest: fetching linux-image-",
        "hnest: apt-get update",
    ];

    public static void AssertIsNotice(string line) =>
        Assert.True(Prefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)), $"unexpected stderr line: {line}");
}
