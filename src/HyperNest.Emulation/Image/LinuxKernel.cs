namespace HyperNest.Emulation.Image;

/// <summary>A Linux kernel for the emulated host: its bzImage and the directory of its loadable modules.</summary>
/// <param name="Version">The kernel release (uname -r), e.g. 6.1.0-28-cloud-amd64.</param>
/// <param name="Vmlinuz">Path of the bzImage.</param>
/// <param name="ModulesDirectory">lib/modules/&lt;version&gt; holding kernel/**.ko[.xz|.zst].</param>
public sealed record LinuxKernel(string Version, string Vmlinuz, string ModulesDirectory);
