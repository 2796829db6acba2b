using System.Text;
using HyperNest.Management.Model;

namespace HyperNest.Worker.Tests.Control;

/// <summary>
/// What the host's worker makes of a line from the emulated host's control port: the init script's exit line, the
/// inner worker's message, or nothing for a line that is neither (a torn or foreign line is not trusted).
/// </summary>
public sealed class ControlPortClientTests
{
    [Theory]
    [InlineData("EXIT 0", 0, null)]
    [InlineData("EXIT 125 the init script failed", 125, "the init script failed")]
    public void ParseLine_Reads_The_Exit_Line(string line, int code, string? detail)
    {
        PortLine parsed = ControlPortClient.ParseLine(Encoding.UTF8.GetBytes(line));

        Assert.Equal((code, detail), (parsed.ExitCode, parsed.ExitDetail));
        Assert.Null(parsed.Received);
    }

    [Fact]
    public void ParseLine_Reads_An_Event()
    {
        PortLine parsed = ControlPortClient.ParseLine("""{"event":{"state":"Running","restarted":true}}"""u8);

        Assert.Equal(VmState.Running, parsed.Received?.Event?.State);
        Assert.True(parsed.Received?.Event?.Restarted);
    }

    [Theory]
    [InlineData("EXIT soon")]
    [InlineData("{\"event\":{\"state\":\"Runn")]
    [InlineData("{\"response\":{\"ok\":\"yes\"}}")]
    [InlineData("\u00ff garbage")]
    public void ParseLine_Drops_A_Line_That_Is_Neither_An_Exit_Nor_A_Message(string line)
    {
        Assert.Equal(default, ControlPortClient.ParseLine(Encoding.UTF8.GetBytes(line)));
    }
}
