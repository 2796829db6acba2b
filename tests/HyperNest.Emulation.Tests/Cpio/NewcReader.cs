using System.Globalization;
using System.Text;
using HyperNest.Emulation.Cpio;

namespace HyperNest.Emulation.Tests.Cpio;

/// <summary>
/// An independent, strict reader of newc archives for the tests: it checks the magic, the NUL after each name, that
/// padding is zero and that every header starts on a 4-byte boundary, and stops at the trailer.
/// </summary>
internal static class NewcReader
{
    public static List<NewcEntry> Read(byte[] archive, out long endOfTrailer)
    {
        var entries = new List<NewcEntry>();
        long offset = 0;
        while (true)
        {
            Assert.Equal(0, offset % 4);
            string header = Encoding.ASCII.GetString(archive, (int)offset, NewcArchiveWriter.HeaderLength);
            Assert.Equal("070701", header[..6]);
            uint Field(int index) => uint.Parse(header.AsSpan(6 + (index * 8), 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

            int nameSize = (int)Field(11);
            int nameStart = (int)offset + NewcArchiveWriter.HeaderLength;
            Assert.Equal(0, archive[nameStart + nameSize - 1]);
            string name = Encoding.UTF8.GetString(archive, nameStart, nameSize - 1);
            int dataStart = AssertZeroPaddingTo4(archive, nameStart + nameSize);
            int fileSize = (int)Field(6);
            byte[] data = archive.AsSpan(dataStart, fileSize).ToArray();
            long next = AssertZeroPaddingTo4(archive, dataStart + fileSize);

            if (name == NewcArchiveWriter.TrailerName)
            {
                endOfTrailer = next;
                return entries;
            }

            entries.Add(new NewcEntry(offset, name, Field(0), Field(1), Field(4), Field(9), Field(10), data));
            offset = next;
        }
    }

    public static List<NewcEntry> Read(byte[] archive) => Read(archive, out _);

    private static int AssertZeroPaddingTo4(byte[] archive, int position)
    {
        while (position % 4 != 0)
        {
            Assert.Equal(0, archive[position]);
            position++;
        }

        return position;
    }
}
