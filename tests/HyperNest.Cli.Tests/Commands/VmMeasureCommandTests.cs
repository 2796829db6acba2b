using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary><c>hnest vm measure</c> (Measure-VM): figures the worker counts for the VM's current run.</summary>
public sealed class VmMeasureCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_Busy_Guest_Shows_Processor_Time_And_Its_Memory()
    {
        // Port round trips with interrupts off: the vCPU is busy the whole time.
        _home.Ok("vm", "new", "busy", "--append", "hnest.bench=1000000000", "--memory", "256M");
        _home.Ok("vm", "start", "busy");
        Thread.Sleep(3000);

        using JsonDocument document = JsonDocument.Parse(_home.Ok("vm", "measure", "busy", "--json").Stdout);
        JsonElement m = document.RootElement;

        double duration = TimeSpan.Parse(m.GetProperty("meteringDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;
        double cpu = TimeSpan.Parse(m.GetProperty("processorTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;
        Assert.InRange(duration, 2.5, 60);
        Assert.InRange(cpu, 0.3, duration * 1.05);
        Assert.Equal(256L << 20, m.GetProperty("averageMemoryUsageBytes").GetInt64());
        Assert.Equal(256L << 20, m.GetProperty("maximumMemoryUsageBytes").GetInt64());
        Assert.True(m.GetProperty("residentBytes").GetInt64() > 0);
        Assert.Equal(0, m.GetProperty("aggregatedDiskDataReadBytes").GetInt64());
        Assert.Matches(@"AverageProcessorUsage\(MHz\)\s+: \d+", _home.Ok("vm", "measure", "busy").Stdout);
    }

    [Fact]
    public void An_Idle_Guest_Uses_Almost_No_Processor_Time()
    {
        _home.Ok("vm", "new", "idle", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "idle");
        Thread.Sleep(2000);

        using JsonDocument document = JsonDocument.Parse(_home.Ok("vm", "measure", "idle", "--json").Stdout);

        double cpu = TimeSpan.Parse(document.RootElement.GetProperty("processorTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;
        Assert.InRange(cpu, 0, 0.3);
    }

    [Fact]
    public void On_The_Emulated_Accelerator_The_Figures_Come_From_The_Worker_Inside_The_Emulated_Host()
    {
        _home.Ok("vm", "new", "inner", "--accel", "emulated", "--append", "hnest.hold=1", "--memory", "256M");
        _home.Ok("vm", "start", "inner");
        Thread.Sleep(2000);

        using JsonDocument document = JsonDocument.Parse(_home.Ok("vm", "measure", "inner", "--json").Stdout);
        JsonElement m = document.RootElement;

        Assert.Equal("emulated", m.GetProperty("accelerator").GetString());
        Assert.Equal(256L << 20, m.GetProperty("averageMemoryUsageBytes").GetInt64());
        Assert.True(m.GetProperty("residentBytes").GetInt64() > 0);
        Assert.True(TimeSpan.Parse(m.GetProperty("meteringDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_Vm_That_Is_Off_Is_Refused_In_One_Line()
    {
        _home.Ok("vm", "new", "web");

        Assert.Equal("hnest: Cannot measure 'web' while it is Off: its figures are counted by its worker, which runs only while the VM runs.",
            _home.Fails("vm", "measure", "web"));
    }
}
