using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using HyperNest.Kvm;
using HyperNest.Vmm.Memory;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Fuzz.SavedStates;

/// <summary>
/// A saved VM's two files as a restore reads them: <see cref="SavedStateFile.Parse"/> (saved.state: header and JSON)
/// and <see cref="GuestMemoryFile.Open"/> then <see cref="GuestMemoryFile.Map"/> (saved.memory). Input: a flags byte,
/// a split point (u16), two u64 sizes, a u16 length, then bytes split at the point: the state file's, the memory
/// file's. Flags: bit 0, the state bytes are a body the target gives a correct header (length, checksum), so the
/// JSON is reached; bit 1, the memory file is one <see cref="GuestMemoryFile.Write"/> makes of 1 page (bit 2: 2
/// pages) filled with the memory bytes, its save id the state's; bit 3, its header's sizes become the two u64s;
/// bit 4, its length becomes 4096 + the u16; bit 5, it is opened with the state's sizes, else with its header's.
/// Allowed out: <see cref="SavedStateException"/>, the refusal Start-VM reports.
/// Invariants: a state that loads encodes and loads again to the same JSON; a memory file that opens has exactly the
/// length its declared sizes need, maps without error, and maps to its bytes.
/// </summary>
public sealed class SavedStateTarget : IFuzzTarget
{
    private const int PageSize = 4096;
    private const string StatePath = "/saved.state";
    private static readonly Guid FixedId = new("6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11");

    [ThreadStatic]
    private static GuestMemory?[]? t_memories;

    public string Name => "saved-state";

    public string Description => "saved.state and saved.memory bytes; loads round-trip, sizes checked before mapping";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInput(input);
        byte flags = reader.Byte();
        int split = reader.UInt16();
        (ulong boot, ulong hotplug) = (reader.UInt64(), reader.UInt64());
        int length = reader.UInt16();
        ReadOnlySpan<byte> rest = reader.Rest();
        split = Math.Min(split, rest.Length);
        ReadOnlySpan<byte> stateBytes = rest[..split], memoryBytes = rest[split..];

        // SavedStateFile.Read is a bounded file read, then Parse: the state is parsed from memory (a file write with
        // fsync per input costs more than the parse).
        string memoryPath = ScratchFolder.File("saved.memory");
        VmSavedState? state = null;
        try
        {
            state = SavedStateFile.Parse((flags & 1) != 0 ? WithHeader(stateBytes) : stateBytes, StatePath);
        }
        catch (SavedStateException e)
        {
            CheckRefusal(e);
        }

        if (state is not null)
        {
            CheckRoundTrip(state);
        }

        Guid id = state?.SaveId ?? FixedId;
        if ((flags & 2) != 0)
        {
            WriteMemoryFile(memoryPath, id, memoryBytes, pages: (flags & 4) != 0 ? 2 : 1);
            if ((flags & 8) != 0)
            {
                using FileStream stream = File.OpenWrite(memoryPath);
                Span<byte> sizes = stackalloc byte[16];
                BinaryPrimitives.WriteUInt64LittleEndian(sizes, boot);
                BinaryPrimitives.WriteUInt64LittleEndian(sizes[8..], hotplug);
                stream.Position = 32;
                stream.Write(sizes);
            }

            if ((flags & 16) != 0)
            {
                using FileStream stream = File.OpenWrite(memoryPath);
                stream.SetLength(PageSize + length);
            }
        }
        else
        {
            File.WriteAllBytes(memoryPath, memoryBytes.ToArray());
        }

        byte[] memoryFile = File.ReadAllBytes(memoryPath);
        if ((flags & 32) != 0 && state is not null)
        {
            (boot, hotplug) = (state.Machine.MemoryBytes, state.Machine.HotplugMemoryBytes);
        }
        else if (memoryFile.Length >= 48)
        {
            // The sizes the file claims, so its other checks are reached.
            (boot, hotplug) = (BinaryPrimitives.ReadUInt64LittleEndian(memoryFile.AsSpan(32)), BinaryPrimitives.ReadUInt64LittleEndian(memoryFile.AsSpan(40)));
        }

        CheckMemoryFile(memoryPath, memoryFile, id, boot, hotplug);
    }

    private static void CheckRoundTrip(VmSavedState state)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(state, SavedStateJsonContext.Default.VmSavedState);
        VmSavedState again;
        try
        {
            again = SavedStateFile.Parse(SavedStateFile.Encode(state), StatePath);
        }
        catch (SavedStateException e)
        {
            throw new InvariantViolation($"a state that loaded does not load again once written: {e.Message}");
        }

        byte[] jsonAgain = JsonSerializer.SerializeToUtf8Bytes(again, SavedStateJsonContext.Default.VmSavedState);
        InvariantViolation.Check(json.AsSpan().SequenceEqual(jsonAgain), "a state written and loaded again is not the state that was loaded");
    }

    private static void CheckMemoryFile(string path, byte[] file, Guid id, ulong boot, ulong hotplug)
    {
        GuestMemoryFile memoryFile;
        try
        {
            memoryFile = GuestMemoryFile.Open(path, id, boot, hotplug);
        }
        catch (SavedStateException e)
        {
            CheckRefusal(e);
            return;
        }

        using (memoryFile)
        {
            InvariantViolation.Check((UInt128)file.Length == PageSize + (UInt128)memoryFile.BootBytes + memoryFile.HotplugBytes,
                $"a {file.Length}-byte memory file opened declaring {memoryFile.BootBytes} + {memoryFile.HotplugBytes} bytes of memory");
            using GuestMemory memory = memoryFile.Map();
            InvariantViolation.Check(memory.GetSpan(0, (int)memoryFile.BootBytes).SequenceEqual(file.AsSpan(PageSize, (int)memoryFile.BootBytes)),
                "the mapped memory is not the file's bytes");
        }
    }

    /// <summary>A memory file as a save writes it, of guest memory holding <paramref name="bytes"/>.</summary>
    private static void WriteMemoryFile(string path, Guid id, ReadOnlySpan<byte> bytes, int pages)
    {
        t_memories ??= new GuestMemory?[3];
        GuestMemory memory = t_memories[pages] ??= new GuestMemory((ulong)(pages * PageSize));
        Span<byte> all = memory.GetSpan(0, pages * PageSize);
        all.Clear();
        bytes[..Math.Min(bytes.Length, all.Length)].CopyTo(all);
        GuestMemoryFile.Write(path, id, memory, HostFileAccess.OwnerOnly);
    }

    /// <summary>The state file header (<see cref="SavedStateFile"/>) around <paramref name="body"/>, its checksum right.</summary>
    private static byte[] WithHeader(ReadOnlySpan<byte> body)
    {
        byte[] file = new byte[SavedStateFile.HeaderSize + body.Length];
        "HNSTATE\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), SavedStateFile.Schema);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), XxHash3.HashToUInt64(body));
        body.CopyTo(file.AsSpan(SavedStateFile.HeaderSize));
        return file;
    }

    private static void CheckRefusal(SavedStateException e) =>
        InvariantViolation.Check(e.Message.Length > 0 && !e.Message.Contains('\n'), $"a refusal is one line: \"{e.Message}\"");
}
