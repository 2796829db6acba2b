using HyperNest.Kvm;
using System.Buffers.Binary;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.InKernel;
using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Vmm.Tests.SavedStates;

/// <summary>
/// The state file: a 32-byte header (magic, schema, body length, XxHash3 of the body) and a JSON body. It reads back
/// equal; anything else — not a state file, another schema, truncated, altered — is refused in one line naming the
/// file and what is wrong.
/// </summary>
public sealed class SavedStateFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"hn-state-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    internal static VmSavedState Sample() => new()
    {
        SaveId = Guid.NewGuid(),
        SavedAt = DateTimeOffset.UnixEpoch,
        Machine = SavedMachine.Of(new VmConfig { MemoryBytes = 64 << 20, Disks = [new DiskConfig("/tmp/a.img", ReadOnly: true, "s1")] }),
        Layout = DeviceLayout.For(new VmConfig()).Virtio,
        Console = new Uart8250State { InterruptEnable = 1, LineControl = 3, ModemControl = 8, Scratch = 0, FifoControl = 0, DivisorLow = 1, DivisorHigh = 0, TransmitterEmptyPending = false, Receive = [] },
        Keyboard = new I8042State(0x61, 0, false, false, 0),
        AcpiPm = new AcpiPmState(0),
        Virtio = [],
        InKernel = new InKernelDevicesState { KvmClock = 12345 },
        Vcpus = [],
    };

    [Fact]
    public void A_State_Reads_Back_Equal_In_Its_Parts()
    {
        VmSavedState state = Sample();
        SavedStateFile.Write(_path, state, HostFileAccess.OwnerOnly);

        VmSavedState read = SavedStateFile.Read(_path);

        Assert.Equal(state.SaveId, read.SaveId);
        Assert.Equal(state.Machine.Disks, read.Machine.Disks);
        Assert.Equal(state.Layout, read.Layout);
        Assert.Equal(state.Keyboard, read.Keyboard);
        Assert.False(File.Exists(_path + ".partial"));
    }

    [Fact]
    public void Not_A_State_File_Is_Refused() =>
        Assert.Equal($"'{_path}' is not a HyperNest saved state", Refusal(_ => """{"json": true}"""u8.ToArray()));

    [Fact]
    public void A_Newer_Schema_Is_Refused_By_Name() =>
        Assert.Contains("was saved by a newer HyperNest (state schema 9; this one reads 1)", Refusal(file => Patch(file, 8, 9)));

    [Fact]
    public void A_Truncated_File_Is_Refused() =>
        Assert.Contains("is truncated", Refusal(file => file[..^10]));

    [Fact]
    public void An_Altered_Byte_Is_Caught_By_The_Checksum() =>
        Assert.Contains("is corrupt: its contents do not match their checksum", Refusal(file =>
        {
            file[^3] ^= 0x20;
            return file;
        }));

    [Fact]
    public void A_Missing_File_Is_Refused_In_One_Line() =>
        Assert.StartsWith($"the saved state '{_path}' cannot be read", Assert.Throws<SavedStateException>(() => SavedStateFile.Read(_path)).Message);

    private string Refusal(Func<byte[], byte[]> damage)
    {
        SavedStateFile.Write(_path, Sample(), HostFileAccess.OwnerOnly);
        File.WriteAllBytes(_path, damage(File.ReadAllBytes(_path)));
        return Assert.Throws<SavedStateException>(() => SavedStateFile.Read(_path)).Message;
    }

    private static byte[] Patch(byte[] file, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), value);
        return file;
    }
}
