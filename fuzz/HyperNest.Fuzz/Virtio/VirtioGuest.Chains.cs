using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// The driver's own reading of its chains (§2.7.5), for targets that check what a device did with a request: walk a
/// chain as the spec defines it, gather its bytes, and tell whether its buffers overlap each other or another chain
/// of the same turn.
/// </summary>
public sealed partial class VirtioGuest
{
    /// <summary>
    /// Walks chain <paramref name="head"/> of queue <paramref name="queue"/> as the spec defines it (§2.7.5: direct or
    /// one indirect table when INDIRECT_DESC was accepted, readable buffers before writable ones, no loop) into
    /// <paramref name="buffers"/>. False for any chain that is not plainly well-formed with every buffer in the data
    /// region: a target then makes no claim about what the device did with it.
    /// </summary>
    public bool TryReadChain(int queue, ushort head, List<GuestBuffer> buffers, out int firstWritable)
    {
        buffers.Clear();
        firstWritable = -1;
        ulong table = DescriptorTable(queue);
        uint tableSize = _size[queue], index = head;
        if (index >= tableSize)
        {
            return false;
        }

        for (uint hops = 1; ; hops++)
        {
            if (hops > tableSize)
            {
                return false;
            }

            var descriptor = _memory.Read<VirtqDescriptor>(table + (ulong)index * VirtqDescriptor.Size);
            if (descriptor.Has(VirtqDescriptor.FlagIndirect))
            {
                bool usable = hops == 1 && table == DescriptorTable(queue)
                    && (AcceptedFeatures & VirtioFeatures.RingIndirectDescriptors) != 0
                    && !descriptor.Has(VirtqDescriptor.FlagNext)
                    && descriptor.Length != 0 && descriptor.Length % VirtqDescriptor.Size == 0
                    && descriptor.Length / VirtqDescriptor.Size <= _transport.Device.MaxQueueSize
                    && descriptor.Address >= IndirectStart && descriptor.Address < DataStart && descriptor.Length <= DataStart - descriptor.Address;
                if (!usable)
                {
                    return false;
                }

                (table, tableSize, index, hops) = (descriptor.Address, descriptor.Length / VirtqDescriptor.Size, 0, 0);
                continue;
            }

            bool writable = descriptor.Has(VirtqDescriptor.FlagWrite);
            if ((!writable && firstWritable >= 0) || descriptor.Address < DataStart || descriptor.Address >= MemorySize
                || descriptor.Length > MemorySize - descriptor.Address)
            {
                return false;
            }

            if (writable && firstWritable < 0)
            {
                firstWritable = buffers.Count;
            }

            buffers.Add(new GuestBuffer(descriptor.Address, descriptor.Length));
            if (!descriptor.Has(VirtqDescriptor.FlagNext))
            {
                firstWritable = firstWritable < 0 ? buffers.Count : firstWritable;
                return true;
            }

            index = descriptor.Next;
            if (index >= tableSize)
            {
                return false;
            }
        }
    }

    /// <summary>The bytes buffers [from, to) of a walked chain hold together (readable: [0, firstWritable)).</summary>
    public static long LengthOf(List<GuestBuffer> buffers, int from, int to)
    {
        long length = 0;
        for (int i = from; i < to; i++)
        {
            length += buffers[i].Length;
        }

        return length;
    }

    /// <summary>Copies bytes [skip, skip + destination.Length) of buffers [from, to) of a walked chain; returns how many.</summary>
    public int Gather(List<GuestBuffer> buffers, int from, int to, long skip, Span<byte> destination)
    {
        int copied = 0;
        for (int i = from; i < to && copied < destination.Length; i++)
        {
            GuestBuffer buffer = buffers[i];
            if (skip >= buffer.Length)
            {
                skip -= buffer.Length;
                continue;
            }

            int take = (int)Math.Min(buffer.Length - skip, destination.Length - copied);
            _memory.Read(buffer.Address + (ulong)skip, destination.Slice(copied, take));
            copied += take;
            skip = 0;
        }

        return copied;
    }

    /// <summary>Whether no two of <paramref name="buffers"/> share a byte (a guest may alias its own buffers).</summary>
    public static bool AreDisjoint(List<GuestBuffer> buffers)
    {
        for (int i = 0; i < buffers.Count; i++)
        {
            for (int j = i + 1; j < buffers.Count; j++)
            {
                GuestBuffer a = buffers[i], b = buffers[j];
                if (a.Length != 0 && b.Length != 0 && a.Address < b.Address + b.Length && b.Address < a.Address + a.Length)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a chain returned in the same operation as the one <see cref="Used"/> is called for (on any queue) may
    /// have written over any of <paramref name="buffers"/>: then what the checked chain's buffers hold now is not what
    /// the device left there for it (the driver may give two requests the same memory).
    /// </summary>
    public bool SharesBytesWithOtherChains(List<GuestBuffer> buffers)
    {
        foreach ((ulong start, ulong end, int element) in _turnWrites)
        {
            if (element == _turnElement)
            {
                continue;
            }

            foreach (GuestBuffer buffer in buffers)
            {
                if (buffer.Length != 0 && buffer.Address < end && start < buffer.Address + buffer.Length)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
