using System.Text;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Worker;

/// <summary>
/// A control channel is split into lines of at most a bounded length, however its bytes arrive: a peer cannot make
/// a reader hold more than the limit and a read.
/// </summary>
public sealed class ControlLineReaderTests
{
    [Fact]
    public void Read_Joins_A_Line_Its_Peer_Sent_In_Pieces()
    {
        var reader = new ControlLineReader(new TrickleStream("first line\nsecond\n"u8.ToArray(), chunk: 3));

        Assert.Equal(["first line", "second"], ReadAll(reader));
    }

    [Fact]
    public void Read_Drops_A_Last_Line_Without_Its_Newline()
    {
        var reader = new ControlLineReader(new MemoryStream("whole\ntorn"u8.ToArray()));

        Assert.Equal(["whole"], ReadAll(reader));
    }

    [Fact]
    public void Read_Reports_A_Line_Past_The_Limit_And_Goes_On_After_It()
    {
        byte[] channel = Encoding.ASCII.GetBytes(new string('x', 5000) + "\nnext\n");
        var reader = new ControlLineReader(new TrickleStream(channel, chunk: 100), maxLineBytes: 64);

        Assert.Equal(ControlLine.TooLong, reader.Read(out _));
        Assert.InRange(reader.HeldBytes, 0, 2 * (64 + 4096));
        Assert.Equal(ControlLine.Line, reader.Read(out ReadOnlySpan<byte> next));
        Assert.Equal("next", Encoding.ASCII.GetString(next));
        Assert.Equal(ControlLine.End, reader.Read(out _));
    }

    [Fact]
    public void Read_Holds_At_Most_The_Limit_And_A_Read_For_A_Line_That_Never_Ends()
    {
        var reader = new ControlLineReader(new MemoryStream(new byte[3 << 20]));

        Assert.Equal(ControlLine.TooLong, reader.Read(out _));
        Assert.InRange(reader.HeldBytes, 0, 2 * (ControlLineReader.MaxLineBytes + 4096));
        Assert.Equal(ControlLine.End, reader.Read(out _));
    }

    private static List<string> ReadAll(ControlLineReader reader)
    {
        var lines = new List<string>();
        while (reader.Read(out ReadOnlySpan<byte> line) is var read && read != ControlLine.End)
        {
            Assert.Equal(ControlLine.Line, read);
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes, writable: false)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
