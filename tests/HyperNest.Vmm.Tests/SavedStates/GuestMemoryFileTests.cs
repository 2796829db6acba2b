using HyperNest.Kvm;
using System.Buffers.Binary;
using HyperNest.Vmm.Memory;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Vmm.Tests.SavedStates;

/// <summary>
/// The memory file: guest memory written sparse (a zero page costs no disk), mapped back copy-on-write (the guest's
/// writes never reach the file; a discarded page reads as zero, not as the file), and checked before it is mapped:
/// another save's file, other sizes, a truncated or altered file are refused by name.
/// </summary>
public sealed class GuestMemoryFileTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"hn-memory-{Guid.NewGuid():N}");
    private readonly Guid _id = Guid.NewGuid();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Memory_Comes_Back_Byte_For_Byte_Including_Plugged_Hotplug_Blocks()
    {
        using (var memory = new GuestMemory(64 * MiB, 128 * MiB))
        {
            memory.Write(0x1000, "boot"u8);
            memory.Write((63 * MiB) + 4090, "end of RAM"u8[..6]);
            memory.Hotplug!.Plug(3, 1);
            memory.Write(memory.Hotplug.GuestPhysicalAddress + (3 * HotplugRegion.BlockSize) + 8, "plugged"u8);
            GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly);
        }

        using GuestMemoryFile file = GuestMemoryFile.Open(_path, _id, 64 * MiB, 128 * MiB);
        using GuestMemory restored = file.Map();
        restored.Hotplug!.Plug(3, 1);

        Assert.Equal("boot"u8.ToArray(), restored.GetSpan(0x1000, 4).ToArray());
        Assert.Equal("end of"u8.ToArray(), restored.GetSpan((63 * MiB) + 4090, 6).ToArray());
        Assert.Equal("plugged"u8.ToArray(), restored.GetSpan(restored.Hotplug.GuestPhysicalAddress + (3 * HotplugRegion.BlockSize) + 8, 7).ToArray());
    }

    [Fact]
    public void Zero_Pages_Are_Holes()
    {
        long written;
        using (var memory = new GuestMemory(256 * MiB))
        {
            memory.Write(10 * MiB, new byte[] { 1 });
            written = GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly);
        }

        Assert.Equal(Environment.SystemPageSize, written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path)); // the guest's memory: the owner's alone
        Assert.Equal(GuestMemoryFile.HeaderSize + (long)(256 * MiB), new FileInfo(_path).Length);
        Assert.True(AllocatedBytes(_path) < 1 * (long)MiB, $"{AllocatedBytes(_path)} bytes allocated for one page of data");
    }

    [SkippableFact]
    public void Reading_A_Restored_Guests_Untouched_Memory_Allocates_Nothing_In_A_Tmpfs_File()
    {
        // A hole read through a private mapping of a tmpfs file would allocate a file page (a lab host keeps its store
        // on tmpfs): a restore maps only the file's data, its holes are anonymous zero pages.
        Skip.IfNot(Directory.Exists("/dev/shm"), "no /dev/shm (tmpfs) here");
        string path = Path.Combine("/dev/shm", $"hn-memory-{Guid.NewGuid():N}");
        try
        {
            using (var memory = new GuestMemory(64 * MiB))
            {
                memory.Write(32 * MiB, "data"u8);
                GuestMemoryFile.Write(path, _id, memory, HostFileAccess.OwnerOnly);
            }

            long before = AllocatedBytes(path);
            using GuestMemoryFile file = GuestMemoryFile.Open(path, _id, 64 * MiB, 0);
            using GuestMemory restored = file.Map();
            long sum = 0;
            for (ulong at = 0; at < 64 * MiB; at += 4096)
            {
                sum += restored.GetSpan(at, 1)[0];
            }

            Assert.Equal('d', sum);
            Assert.Equal(before, AllocatedBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_Guests_Writes_Stay_In_The_Process_And_A_Discarded_Page_Reads_Zero()
    {
        using (var memory = new GuestMemory(16 * MiB))
        {
            memory.Write(0x2000, "saved"u8);
            GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly);
        }

        using GuestMemoryFile file = GuestMemoryFile.Open(_path, _id, 16 * MiB, 0);
        using (GuestMemory restored = file.Map())
        {
            restored.Write(0x2000, "later"u8);
            restored.Discard(0x2000, (ulong)Environment.SystemPageSize);
            Assert.Equal(new byte[5], restored.GetSpan(0x2000, 5).ToArray());
        }

        using GuestMemory again = file.Map();
        Assert.Equal("saved"u8.ToArray(), again.GetSpan(0x2000, 5).ToArray());
    }

    [Fact]
    public void Unplugged_Hotplug_Blocks_Are_Not_Saved_Whatever_They_Hold()
    {
        using (var memory = new GuestMemory(16 * MiB, 128 * MiB))
        {
            memory.Hotplug!.Plug(1, 1);
            memory.Write(memory.Hotplug.GuestPhysicalAddress + HotplugRegion.BlockSize, "kept"u8);
            memory.Hotplug.Plug(2, 1);
            memory.Write(memory.Hotplug.GuestPhysicalAddress + (2 * HotplugRegion.BlockSize), "dropped"u8);
            memory.Hotplug.Unplug(2, 1);
            Assert.Equal(Environment.SystemPageSize, GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly));
        }

        using GuestMemoryFile file = GuestMemoryFile.Open(_path, _id, 16 * MiB, 128 * MiB);
        using GuestMemory restored = file.Map();
        restored.Hotplug!.Plug(1, 2);
        Assert.Equal("kept"u8.ToArray(), restored.GetSpan(restored.Hotplug.GuestPhysicalAddress + HotplugRegion.BlockSize, 4).ToArray());
        Assert.Equal(new byte[7], restored.GetSpan(restored.Hotplug.GuestPhysicalAddress + (2 * HotplugRegion.BlockSize), 7).ToArray());
    }

    [Fact]
    public void A_Page_That_Turned_To_Zeroes_Is_Caught_By_The_Checksum() =>
        Assert.Contains("is corrupt", Refusal(16 * MiB, _id, 16 * MiB, file =>
        {
            file.AsSpan(GuestMemoryFile.HeaderSize + 0x3000, 4).Clear();
            return file;
        }));

    [Fact]
    public void Another_Saves_File_Is_Refused() =>
        Assert.Contains("belongs to another save", Refusal(16 * MiB, Guid.NewGuid(), 16 * MiB, file => file));

    [Fact]
    public void Other_Sizes_Are_Refused() =>
        Assert.Contains("holds 16 MiB + 0 MiB of memory; its state file says 32 MiB + 0 MiB", Refusal(16 * MiB, _id, 32 * MiB, file => file));

    [Fact]
    public void A_Truncated_File_Is_Refused() =>
        Assert.Contains("is truncated", Refusal(16 * MiB, _id, 16 * MiB, file => file[..^4096]));

    [Fact]
    public void An_Altered_Page_Is_Caught_By_The_Checksum() =>
        Assert.Contains("is corrupt", Refusal(16 * MiB, _id, 16 * MiB, file =>
        {
            file[GuestMemoryFile.HeaderSize + 0x3000] ^= 1;
            return file;
        }));

    [Fact]
    public void A_File_That_Is_Not_Guest_Memory_Is_Refused() =>
        Assert.Contains("is not a HyperNest saved memory file", Refusal(16 * MiB, _id, 16 * MiB, file =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(file, 0);
            return file;
        }));

    [Fact]
    public void Declared_Sizes_Whose_Sum_Wraps_Around_To_The_Files_Length_Are_Refused()
    {
        // 4096 + 2^63 + (2^63 + length - 4096) is the file's length modulo 2^64: the sizes must be checked unwrapped.
        byte[] file = MemoryFile(16 * MiB);
        ulong boot = 1UL << 63, hotplug = (1UL << 63) + (ulong)file.Length - GuestMemoryFile.HeaderSize;
        SetSizes(file, boot, hotplug);
        File.WriteAllBytes(_path, file);

        var error = Assert.Throws<SavedStateException>(() => GuestMemoryFile.Open(_path, _id, boot, hotplug).Dispose());

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(4097UL, 0UL)]
    [InlineData(4096UL, 4096UL)]
    public void Declared_Sizes_That_Are_Not_A_Guests_Memory_Are_Refused_Before_Mapping(ulong boot, ulong hotplug)
    {
        // The file's length agrees with the sizes; guest memory of them cannot exist (no RAM, not whole pages, not
        // whole hot-pluggable blocks), so mapping it would fail outside the refusals a restore reports.
        byte[] file = new byte[GuestMemoryFile.HeaderSize + (int)(boot + hotplug)];
        MemoryFile(16 * MiB).AsSpan(0, GuestMemoryFile.HeaderSize).CopyTo(file);
        SetSizes(file, boot, hotplug);
        File.WriteAllBytes(_path, file);

        var error = Assert.Throws<SavedStateException>(() => GuestMemoryFile.Open(_path, _id, boot, hotplug).Dispose());

        Assert.Contains("not the sizes of a guest's memory", error.Message, StringComparison.Ordinal);
    }

    private byte[] MemoryFile(ulong size)
    {
        using (var memory = new GuestMemory(size))
        {
            GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly);
        }

        return File.ReadAllBytes(_path);
    }

    private static void SetSizes(byte[] file, ulong boot, ulong hotplug)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), boot);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(40), hotplug);
    }

    private string Refusal(ulong size, Guid askedId, ulong askedSize, Func<byte[], byte[]> damage)
    {
        using (var memory = new GuestMemory(size))
        {
            memory.Write(0x3000, "data"u8);
            GuestMemoryFile.Write(_path, _id, memory, HostFileAccess.OwnerOnly);
        }

        File.WriteAllBytes(_path, damage(File.ReadAllBytes(_path)));
        return Assert.Throws<SavedStateException>(() => GuestMemoryFile.Open(_path, askedId, askedSize, 0).Dispose()).Message;
    }

    private static long AllocatedBytes(string path)
    {
        var stat = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(stat)!;
        string[] parts = process.StandardOutput.ReadToEnd().Split(' ');
        process.WaitForExit();
        return long.Parse(parts[0]) * long.Parse(parts[1]);
    }
}
