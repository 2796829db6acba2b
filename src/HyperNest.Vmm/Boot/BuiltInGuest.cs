namespace HyperNest.Vmm.Boot;

/// <summary>
/// The tiny guest embedded in HyperNest (guests/builtin/guest.S, assembled at build time): a bzImage that prints
/// its vCPU count and memory size on COM1 and powers off. It is what <c>hnest run</c> boots without --kernel.
/// </summary>
public static class BuiltInGuest
{
    public const string Name = "built-in guest";
    private const string ResourceName = "HyperNest.Vmm.BuiltInGuest.bin";

    public static byte[] Load()
    {
        using Stream stream = typeof(BuiltInGuest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from this build");
        var image = new byte[stream.Length];
        stream.ReadExactly(image);
        return image;
    }
}
