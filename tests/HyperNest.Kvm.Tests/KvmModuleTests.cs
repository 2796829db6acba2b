namespace HyperNest.Kvm.Tests;

public sealed class KvmModuleTests : IDisposable
{
    private readonly DirectoryInfo _sysModule = Directory.CreateTempSubdirectory("hnest-sys-module-");

    public void Dispose() => _sysModule.Delete(recursive: true);

    [Theory]
    [InlineData(KvmModuleKind.None)]
    [InlineData(KvmModuleKind.Intel, "kvm", "kvm_intel")]
    [InlineData(KvmModuleKind.Amd, "kvm", "kvm_amd")]
    [InlineData(KvmModuleKind.Pvm, "kvm", "kvm_pvm")]
    [InlineData(KvmModuleKind.Pvm, "kvm", "kvm_intel", "kvm_pvm")] // PVM loaded beside a vendor module wins
    [InlineData(KvmModuleKind.Pvm, "kvm_amd", "kvm_pvm")]
    [InlineData(KvmModuleKind.None, "kvm", "vhost", "kvm_intelx")]
    public void Detect_Reads_The_Vendor_Module_From_Sys_Module(KvmModuleKind expected, params string[] modules)
    {
        foreach (string module in modules)
        {
            _sysModule.CreateSubdirectory(module);
        }

        Assert.Equal(expected, KvmModule.Detect(_sysModule.FullName));
    }

    [Fact]
    public void A_File_Named_Like_A_Module_Is_Not_A_Loaded_Module()
    {
        File.WriteAllText(Path.Combine(_sysModule.FullName, "kvm_intel"), "");

        Assert.Equal(KvmModuleKind.None, KvmModule.Detect(_sysModule.FullName));
    }

    [Fact]
    public void A_Missing_Sys_Module_Means_No_Kvm()
    {
        Assert.Equal(KvmModuleKind.None, KvmModule.Detect(Path.Combine(_sysModule.FullName, "absent")));
    }

    [Theory]
    [InlineData(KvmModuleKind.Intel, "kvm_intel")]
    [InlineData(KvmModuleKind.Amd, "kvm_amd")]
    [InlineData(KvmModuleKind.Pvm, "kvm_pvm")]
    [InlineData(KvmModuleKind.None, "none")]
    public void Name_Is_The_Module_Name(KvmModuleKind kind, string name)
    {
        Assert.Equal(name, KvmModule.Name(kind));
    }
}
