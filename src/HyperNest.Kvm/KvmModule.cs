namespace HyperNest.Kvm;

/// <summary>Which vendor module provides the host's KVM, read from /sys/module.</summary>
public enum KvmModuleKind
{
    None,
    Intel,
    Amd,

    /// <summary>kvm_pvm: guest kernel mode is emulated, and VMX/SVM cannot be offered to guests.</summary>
    Pvm,
}

public static class KvmModule
{
    public static KvmModuleKind Detect(string sysModule = "/sys/module")
    {
        if (Directory.Exists(Path.Combine(sysModule, "kvm_pvm")))
        {
            return KvmModuleKind.Pvm;
        }

        if (Directory.Exists(Path.Combine(sysModule, "kvm_intel")))
        {
            return KvmModuleKind.Intel;
        }

        return Directory.Exists(Path.Combine(sysModule, "kvm_amd")) ? KvmModuleKind.Amd : KvmModuleKind.None;
    }

    public static string Name(KvmModuleKind kind) => kind switch
    {
        KvmModuleKind.Intel => "kvm_intel",
        KvmModuleKind.Amd => "kvm_amd",
        KvmModuleKind.Pvm => "kvm_pvm",
        _ => "none",
    };
}
