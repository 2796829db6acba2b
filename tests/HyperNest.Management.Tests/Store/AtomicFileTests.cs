using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

/// <summary>A config write interrupted at any step leaves the old config or the new one, never a broken one.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(AtomicWriteStep.CreateTemporary, 1)]
    [InlineData(AtomicWriteStep.WriteContent, 1)]
    [InlineData(AtomicWriteStep.FlushFile, 1)]
    [InlineData(AtomicWriteStep.Rename, 1)]
    [InlineData(AtomicWriteStep.FlushDirectory, 4)]
    public void Write_Interrupted_Before_A_Step_Leaves_A_Whole_Config(AtomicWriteStep crashBefore, int expectedProcessors)
    {
        VmConfiguration old = _temp.Add("vm");
        _temp.Store.Writer.BeforeStep = step =>
        {
            if (step == crashBefore)
            {
                throw new IOException($"simulated crash before {step}");
            }
        };

        Assert.ThrowsAny<Exception>(() => _temp.Store.Save(old with { ProcessorCount = 4 }));

        VmConfiguration read = new VmStore(_temp.Home).Load(old.Id);
        Assert.Equal(expectedProcessors, read.ProcessorCount);
        Assert.Empty(new VmStore(_temp.Home).List().Problems);
    }

    [Fact]
    public void Write_Leaves_No_Temporary_File_Behind()
    {
        VmConfiguration config = _temp.Add("vm");
        _temp.Store.Save(config with { ProcessorCount = 2 });

        Assert.Equal(["config.json"], Directory.GetFiles(_temp.Store.Folder(config.Id).Path).Select(Path.GetFileName));
    }
}
