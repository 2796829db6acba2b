namespace HyperNest.Management.Nested;

/// <summary>Where the emulated host's Linux kernel (one with kvm_amd) comes from.</summary>
public enum GuestKernelSource
{
    /// <summary>Neither a local kernel with kvm_amd nor apt-get to fetch one: the emulated host cannot boot.</summary>
    None,

    /// <summary>This host's /boot/vmlinuz-$(uname -r) with /lib/modules/$(uname -r), which has kvm_amd.</summary>
    Local,

    /// <summary>Debian's linux-image-cloud-amd64, fetched with <c>apt-get download</c> on first use.</summary>
    AptDownload,
}
