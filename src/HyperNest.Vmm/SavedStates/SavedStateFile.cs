using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using HyperNest.Kvm;

namespace HyperNest.Vmm.SavedStates;

/// <summary>
/// A VM's state file: a 32-byte header — magic "HNSTATE" and a NUL (8 bytes), schema (u32), reserved (u32), body
/// length (u64), XxHash3 of the body (u64), little-endian — then the body, a <see cref="VmSavedState"/> as UTF-8 JSON.
/// Written to a temporary name, made durable and renamed, so a state file is whole or absent.
/// </summary>
public static class SavedStateFile
{
    /// <summary>The body's schema; a file of another schema is refused, not guessed at.</summary>
    public const uint Schema = 1;

    public const int HeaderSize = 32;

    /// <summary>A state body is small (device registers, vCPU state: tens of KiB); more is not a state file.</summary>
    private const long MaxBodyBytes = 64 << 20;

    private static ReadOnlySpan<byte> Magic => "HNSTATE\0"u8;

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically and durably, no wider than <paramref name="access"/>.</summary>
    public static void Write(string path, VmSavedState state, HostFileAccess access) => WriteAtomically(path, Encode(state), access);

    /// <summary>The bytes of a state file holding <paramref name="state"/>: the 32-byte header, then the JSON body.</summary>
    public static byte[] Encode(VmSavedState state)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(state, SavedStateJsonContext.Default.VmSavedState);
        byte[] file = new byte[HeaderSize + body.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), Schema);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), XxHash3.HashToUInt64(body));
        body.CopyTo(file, HeaderSize);
        return file;
    }

    /// <summary>
    /// Writes a whole state file's bytes (one made elsewhere: inside an emulated host) atomically and durably, after
    /// checking them as <see cref="Read"/> would; throws <see cref="SavedStateException"/> for bytes that are not one.
    /// </summary>
    public static void WriteFile(string path, byte[] file, HostFileAccess access)
    {
        _ = Parse(file, path);
        WriteAtomically(path, file, access);
    }

    /// <summary>Temporary name, fsync, rename: the file at <paramref name="path"/> is whole or absent.</summary>
    private static void WriteAtomically(string path, byte[] file, HostFileAccess access)
    {
        string temporary = path + ".partial";
        try
        {
            using (FileStream stream = access.OpenFile(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(file);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads and checks a state file. Throws <see cref="SavedStateException"/> when it is missing, not a state file,
    /// of another schema, truncated or damaged (checksum), or its body is not a state.
    /// </summary>
    public static VmSavedState Read(string path)
    {
        byte[] file;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > HeaderSize + MaxBodyBytes)
            {
                throw new SavedStateException($"'{path}' is not a HyperNest saved state: it is {stream.Length} bytes");
            }

            file = new byte[stream.Length];
            stream.ReadExactly(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SavedStateException($"the saved state '{path}' cannot be read: {e.UserMessage()}");
        }

        return Parse(file, path);
    }

    /// <summary>The checks of <see cref="Read"/> on a file's bytes; <paramref name="path"/> names it in messages.</summary>
    public static VmSavedState Parse(ReadOnlySpan<byte> file, string path)
    {
        if (file.Length < HeaderSize || !file[..8].SequenceEqual(Magic))
        {
            throw new SavedStateException($"'{path}' is not a HyperNest saved state");
        }

        uint schema = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        if (schema != Schema)
        {
            throw new SavedStateException(schema > Schema
                ? $"'{path}' was saved by a newer HyperNest (state schema {schema}; this one reads {Schema})"
                : $"'{path}' has state schema {schema}, which this HyperNest no longer reads (it reads {Schema})");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file[16..]);
        ReadOnlySpan<byte> body = file[HeaderSize..];
        if (length != (ulong)body.Length)
        {
            throw new SavedStateException(length > (ulong)body.Length
                ? $"'{path}' is truncated: its body is {body.Length} bytes of {length}"
                : $"'{path}' is corrupt: {(ulong)body.Length - length} bytes follow its body");
        }

        if (XxHash3.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(file[24..]))
        {
            throw new SavedStateException($"'{path}' is corrupt: its contents do not match their checksum");
        }

        try
        {
            return JsonSerializer.Deserialize(body, SavedStateJsonContext.Default.VmSavedState)
                ?? throw new SavedStateException($"'{path}' is corrupt: its body is empty");
        }
        catch (JsonException e)
        {
            throw new SavedStateException($"'{path}' is corrupt: {e.UserMessage()}");
        }
    }
}
