using System.Buffers.Binary;
using System.Net.Sockets;

namespace HyperNest.Kvm;

/// <summary>
/// Who is at the other end of a connected Unix socket, as the kernel recorded it when the peer connected
/// (socket(7) SO_PEERCRED: struct ucred, three 32-bit fields pid, uid, gid; SO_PEERGROUPS: the peer's supplementary
/// gids, Linux 4.13+). Neither can be forged by the peer.
/// </summary>
/// <param name="ProcessId">The peer's pid when it connected.</param>
/// <param name="UserId">The peer's effective uid.</param>
/// <param name="GroupId">The peer's effective gid.</param>
/// <param name="SupplementaryGroups">The peer's other groups; empty where the kernel cannot tell.</param>
public sealed record PeerCredentials(int ProcessId, uint UserId, uint GroupId, IReadOnlyList<uint> SupplementaryGroups)
{
    private const int SolSocket = 1, SoPeerCred = 17, SoPeerGroups = 59;

    /// <summary>The peer of <paramref name="socket"/>. Throws <see cref="SocketException"/> when it is not a connected Unix socket.</summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]),
            Groups(socket));
    }

    /// <summary>Is the peer a member of group <paramref name="groupId"/> (its own group or a supplementary one)?</summary>
    public bool IsInGroup(uint groupId) => GroupId == groupId || SupplementaryGroups.Contains(groupId);

    private static uint[] Groups(Socket socket)
    {
        // Most processes have a handful of groups; ERANGE says the buffer was too small, and NGROUPS_MAX is 65536.
        foreach (int count in (int[])[64, 65536])
        {
            byte[] buffer = new byte[count * sizeof(uint)];
            try
            {
                int length = socket.GetRawSocketOption(SolSocket, SoPeerGroups, buffer);
                var groups = new uint[length / sizeof(uint)];
                for (int i = 0; i < groups.Length; i++)
                {
                    groups[i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i * sizeof(uint)));
                }

                return groups;
            }
            catch (SocketException)
            {
                // Too small, or a kernel without SO_PEERGROUPS: try the largest, then do without.
            }
        }

        return [];
    }
}
