using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// This host's groups as NSS knows them (/etc/group, or a directory service): names to ids and back. A host without
/// a group database (an initramfs) has no groups: every lookup is null.
/// </summary>
public static unsafe class HostGroup
{
    /// <summary>The id of the group named <paramref name="name"/>, or null when there is none.</summary>
    public static uint? IdOf(string name) => Lookup((entry, buffer, length, result) => Interop.GetGrNamR(name, entry, buffer, length, result), e => (uint?)e.Id);

    /// <summary>The name of group <paramref name="id"/>, or null when there is none.</summary>
    public static string? NameOf(uint id) =>
        Lookup((entry, buffer, length, result) => Interop.GetGrGidR(id, entry, buffer, length, result), e => Marshal.PtrToStringUTF8((nint)e.Name));

    private delegate int LookupCall(GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result);

    private static T? Lookup<T>(LookupCall call, Func<GroupEntry, T> read)
    {
        // The entry's strings live in the buffer; a group with many members needs a larger one (ERANGE).
        for (int length = 1024; length <= 1 << 20; length *= 4)
        {
            byte[] buffer = new byte[length];
            GroupEntry entry;
            GroupEntry* result = null;
            int status;
            fixed (byte* bytes = buffer)
            {
                status = call(&entry, bytes, (nuint)length, &result);
                if (status == 0)
                {
                    return result is null ? default : read(*result);
                }
            }

            if (status != Errno.ERANGE)
            {
                return default;
            }
        }

        return default;
    }
}
