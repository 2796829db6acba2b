using System.Text;
using HyperNest.Emulation.Image;

namespace HyperNest.Emulation.Tests.Image;

public sealed class KernelModulesTests
{
    [Fact]
    public void Dependencies_Come_From_The_Modinfo_Depends_String()
    {
        byte[] module = Encoding.ASCII.GetBytes("\u007fELF...\0license=GPL\0depends=virtio,virtio_ring\0vermagic=6.1\0");

        Assert.Equal(["virtio", "virtio_ring"], KernelModules.DependenciesOf(module));
    }

    [Fact]
    public void An_Empty_Depends_String_Means_No_Dependencies()
    {
        Assert.Empty(KernelModules.DependenciesOf(Encoding.ASCII.GetBytes("\0depends=\0name=irqbypass\0")));
    }

    [Fact]
    public void Modules_Load_After_Their_Dependencies_Each_Once()
    {
        string directory = Directory.CreateTempSubdirectory("modules-test-").FullName;
        try
        {
            WriteModule(directory, "kernel/virt/lib/irqbypass.ko", "");
            WriteModule(directory, "kernel/arch/x86/kvm/kvm.ko", "irqbypass");
            WriteModule(directory, "kernel/arch/x86/kvm/kvm-amd.ko", "kvm");
            WriteModule(directory, "kernel/arch/x86/kvm/kvm-intel.ko", "kvm");

            var modules = new KernelModules(directory);

            Assert.Equal(["irqbypass", "kvm", "kvm_amd", "kvm_intel"], modules.InLoadOrder("kvm-amd", "kvm_intel").Select(m => m.Name));
            Assert.Throws<EmulationException>(() => modules.InLoadOrder("virtio_blk"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void WriteModule(string root, string path, string depends)
    {
        string file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"\0depends={depends}\0");
    }
}
