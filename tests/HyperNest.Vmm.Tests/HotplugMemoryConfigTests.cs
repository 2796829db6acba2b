using System.Text;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests;

/// <summary>A VM with hot-pluggable memory (<see cref="VmConfig.HotplugMemoryBytes"/>, a virtio-mem device).</summary>
public sealed class HotplugMemoryConfigTests
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;

    [Fact]
    public void Check_Accepts_Hotplug_Memory_In_128MiB_Steps_With_Part_Plugged_At_Boot()
    {
        VirtualMachine.Check(With(hotplug: 384 * MiB, requested: 100 * MiB));
    }

    [Theory]
    [InlineData(100UL << 20, 0UL, "hot-pluggable memory of 100 MiB is not a multiple of 128 MiB, the block size a guest adds memory in")]
    [InlineData((128UL << 20) + 4096, 0UL, "hot-pluggable memory of 128 MiB is not a multiple of 128 MiB, the block size a guest adds memory in")]
    [InlineData(2048UL << 30, 0UL, "hot-pluggable memory of 2048 GiB is more than HyperNest allows (1024 GiB)")]
    [InlineData(256UL << 20, 257UL << 20, "memory to plug at boot (257 MiB) is more than the hot-pluggable memory (256 MiB)")]
    [InlineData(0UL, 2UL << 20, "memory to plug at boot (2 MiB) is more than the hot-pluggable memory (0 MiB)")]
    public void Check_Refuses_Hotplug_Sizes_The_Guest_Could_Not_Use(ulong hotplug, ulong requested, string message)
    {
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Check(With(hotplug, requested)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_Memory_Device_Counts_Against_The_Interrupt_Lines()
    {
        NetworkAdapterConfig[] adapters = [.. Enumerable.Range(0, 7).Select(i => new NetworkAdapterConfig($"eth{i}", (byte[])[0x02, 0, 0, 0, 0, (byte)i]))];

        // 7 adapters, the entropy device and the balloon fill the 9 lines; the memory device is one too many.
        VirtualMachine.Check(With(0, 0) with { NetworkAdapters = adapters });
        var error = Assert.Throws<VmBuildException>(() => VirtualMachine.Check(With(128 * MiB, 0) with { NetworkAdapters = adapters }));

        Assert.StartsWith("too many devices", error.Message);
        Assert.Contains("hot-pluggable memory", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Vm_With_Hotplug_Memory_Runs_Shows_Boot_Ram_Only_And_Onlines_Hot_Plugged_Memory()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using var console = new ConsoleCapture();
        using VirtualMachine vm = VirtualMachine.Create(With(hotplug: 512 * MiB, requested: 128 * MiB), console);

        Assert.NotNull(vm.HotplugMemory);
        Assert.Equal((512 * MiB, 2 * MiB, 128 * MiB, 0UL), (vm.HotplugMemory.RegionSize, vm.HotplugMemory.BlockSize, vm.HotplugMemory.RequestedSize, vm.HotplugMemory.PluggedSize));
        Assert.Equal(4 * GiB, vm.Memory.Hotplug!.GuestPhysicalAddress);
        Assert.Contains(" memhp_default_state=online", CommandLine(vm), StringComparison.Ordinal);

        Assert.Equal(VmStopReason.PowerOff, vm.Run());

        // The built-in guest reports the e820 RAM, which the region is not part of; it has no virtio-mem driver.
        Assert.Contains("64 MiB RAM", console.Text, StringComparison.Ordinal);
        Assert.False(vm.HotplugMemory.DriverReady);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Vm_Without_Hotplug_Memory_Has_No_Device_And_Leaves_The_Command_Line_Alone()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);

        using VirtualMachine vm = VirtualMachine.Create(With(0, 0), Stream.Null);

        Assert.Null(vm.HotplugMemory);
        Assert.Null(vm.Memory.Hotplug);
        Assert.DoesNotContain("memhp_default_state", CommandLine(vm), StringComparison.Ordinal);
    }

    private static VmConfig With(ulong hotplug, ulong requested) =>
        new() { MemoryBytes = 64 * MiB, HotplugMemoryBytes = hotplug, HotplugMemoryRequestedBytes = requested };

    private static string CommandLine(VirtualMachine vm)
    {
        Span<byte> bytes = vm.Memory.GetSpan(MemoryLayout.CommandLineAddress, 4096);
        return Encoding.ASCII.GetString(bytes[..bytes.IndexOf((byte)0)]);
    }
}
