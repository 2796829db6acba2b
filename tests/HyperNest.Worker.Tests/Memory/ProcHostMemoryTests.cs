using HyperNest.Worker.Memory;

namespace HyperNest.Worker.Tests.Memory;

/// <summary>/proc's "Name: value kB" lines, as /proc/meminfo (spaces) and /proc/self/status (a tab) write them.</summary>
public sealed class ProcHostMemoryTests
{
    [Theory]
    [InlineData("MemTotal:       16384 kB", "MemTotal:", 16384UL * 1024)]
    [InlineData("VmRSS:\t  113456 kB", "VmRSS:", 113456UL * 1024)]
    [InlineData("VmRSS:\t113456 kB", "VmRSS:", 113456UL * 1024)]
    [InlineData("Other:  1 kB", "VmRSS:", 0UL)]
    public void A_Value_Is_Read_In_Bytes_Whatever_Separates_It(string line, string key, ulong bytes)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "First: 7 kB\n" + line + "\n");
            Assert.Equal(bytes, ProcHostMemory.Kilobytes(path, key));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void This_Process_Has_A_Resident_Set() => Assert.True(new ProcHostMemory().OwnResidentBytes > 1 << 20);
}
