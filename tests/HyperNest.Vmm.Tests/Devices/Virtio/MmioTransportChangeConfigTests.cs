using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// <see cref="MmioTransport.ChangeConfig"/>: a host-side change to a device's configuration space, made under the
/// transport's lock together with its ConfigGeneration bump (virtio 1.2 §2.5.1, §4.2.2).
/// </summary>
public sealed class MmioTransportChangeConfigTests : IDisposable
{
    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);
    private readonly RecordingInterruptLine _interrupt = new();
    private readonly FakeDevice _device = new();
    private readonly MmioTransport _transport;
    private readonly MmioDriver _driver;

    public MmioTransportChangeConfigTests()
    {
        _transport = new MmioTransport(_device, _memory, _interrupt);
        _driver = new MmioDriver(_transport);
    }

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void A_Change_Bumps_The_Generation_And_Interrupts_A_Running_Driver()
    {
        _driver.Initialize(Version1, new SplitQueueDriver(_memory, 16));

        _transport.ChangeConfig(() =>
        {
            _device.Config[0] = 0x42;
            return true;
        });

        Assert.Equal(0x42u, _driver.Read(Config) & 0xFF);
        Assert.Equal(1u, _driver.Read(ConfigGeneration));
        Assert.Equal(2u, _driver.Read(InterruptStatus));
        Assert.Equal(1, _interrupt.Count);
    }

    [Fact]
    public void No_Change_Means_No_New_Generation_And_No_Interrupt()
    {
        _driver.Initialize(Version1, new SplitQueueDriver(_memory, 16));

        _transport.ChangeConfig(() => false);

        Assert.Equal(0u, _driver.Read(ConfigGeneration));
        Assert.Equal(0, _interrupt.Count);
    }

    [Fact]
    public void A_Change_Before_DriverOk_Bumps_The_Generation_Without_An_Interrupt()
    {
        _transport.ChangeConfig(() => true);

        Assert.Equal(1u, _driver.Read(ConfigGeneration));
        Assert.Equal(0, _interrupt.Count);
    }

    [Fact]
    public void Register_Accesses_Wait_Until_The_Change_Is_Done()
    {
        uint seen = 0;
        var read = new Thread(() => seen = _driver.Read(ConfigGeneration));
        _transport.ChangeConfig(() =>
        {
            read.Start();

            // The driver's read cannot complete while the change holds the transport.
            Assert.False(read.Join(TimeSpan.FromMilliseconds(200)));
            return true;
        });

        Assert.True(read.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(1u, seen); // it saw the change and its generation together
    }
}
