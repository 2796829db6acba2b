using System.Text;
using System.Text.Json;
using HyperNest.Management.Memory;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Worker;

/// <summary>
/// A worker reads a request line into a typed request or an error answer naming what is wrong: whatever a peer
/// sends, nothing else comes out of the parse (an exception there would end the worker's control thread).
/// </summary>
public sealed class ControlMessagesTests
{
    [Fact]
    public void ParseRequest_Reads_A_Request_Whose_Command_Is_Not_Its_First_Property()
    {
        ParsedRequest parsed = Parse("""{"version":2,"id":7,"command":"pause"}""");

        PauseRequest pause = Assert.IsType<PauseRequest>(parsed.Request);
        Assert.Equal(7, pause.Id);
        Assert.Null(parsed.Error);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"version":2}""")]
    [InlineData("""{"version":2,"timeoutSeconds":5}""")]
    public void ParseRequest_Answers_An_Object_Without_A_Command_With_An_Error(string line)
    {
        ParsedRequest parsed = Parse(line);

        Assert.Null(parsed.Request);
        Assert.Equal("malformed request: it names no command", parsed.Error);
    }

    [Theory]
    [InlineData("""{"command":"input","version":2,"data":null}""", "data")]
    [InlineData("""{"command":"networkAdapter","version":2,"adapter":null}""", "adapter")]
    [InlineData("""{"command":"memory","version":2,"memory":null}""", "memory")]
    [InlineData("""{"command":"mergeDisk","version":2,"disk":0,"overlay":null,"into":"/i","intoFormat":"Raw"}""", "overlay")]
    public void ParseRequest_Refuses_A_Null_Where_The_Request_Has_None(string line, string property)
    {
        ParsedRequest parsed = Parse(line);

        Assert.Null(parsed.Request);
        Assert.StartsWith("malformed request: ", parsed.Error);
        Assert.Contains(property, parsed.Error);
    }

    [Fact]
    public void ParseRequest_Refuses_A_Positional_Member_Left_Out()
    {
        // A checkpoint disk is a positional record: an overlay left out (or misspelt) must not become a null path.
        ParsedRequest parsed = Parse("""{"command":"checkpoint","version":2,"stateFile":"/a","memoryFile":"/b","disks":[{"index":0,"image":"/d.qcow2","overlya":"/o.qcow2"}]}""");

        Assert.Null(parsed.Request);
        Assert.StartsWith("malformed request: ", parsed.Error);
        Assert.Contains("overlay", parsed.Error);
    }

    [Fact]
    public void ParseRequest_Gives_A_Member_Left_Out_Its_Default()
    {
        ParsedRequest parsed = Parse("""{"command":"mergeDisk","version":2,"disk":0,"overlay":"/o","into":"/i","intoFormat":"Qcow2"}""");

        MergeDiskRequest merge = Assert.IsType<MergeDiskRequest>(parsed.Request);
        Assert.Empty(merge.Rebase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void ParseRequest_Refuses_An_Enum_Member_Given_As_A_Number(int format)
    {
        ParsedRequest parsed = Parse($$"""{"command":"mergeDisk","version":2,"disk":0,"overlay":"/o","into":"/i","intoFormat":{{format}}}""");

        Assert.Null(parsed.Request);
        Assert.StartsWith($"malformed request: disk format {format} is none HyperNest knows; expected one of Raw, Qcow2 (at intoFormat, line 1, byte ", parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"command":"bogus","version":2}""")]
    [InlineData("""{"command":"shutdown","version":2,"timeoutSeconds":"soon"}""")]
    [InlineData("""{"command":"input","version":2,"data":"not base64!"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"command":"pause""")]
    [InlineData("null")]
    [InlineData("\u00ff\u00fe")]
    public void ParseRequest_Answers_A_Line_That_Is_No_Request_With_One_Line_Of_Error(string line)
    {
        ParsedRequest parsed = Parse(line);

        Assert.Null(parsed.Request);
        Assert.StartsWith("malformed request: ", parsed.Error);
        Assert.DoesNotContain("\n", parsed.Error!, StringComparison.Ordinal);
        Assert.False(parsed.Blank);
    }

    [Fact]
    public void ParseRequest_Marks_A_Blank_Line_As_Blank()
    {
        ParsedRequest parsed = ControlMessages.ParseRequest([]);

        Assert.True(parsed.Blank);
        Assert.Equal("empty request", parsed.Error);
    }

    [Fact]
    public void A_Request_Written_By_A_Client_Reads_Back_The_Same()
    {
        var request = new CheckpointRequest
        {
            Id = 3, StateFile = "/s", MemoryFile = "/m", Disks = [new CheckpointDisk(0, "/d.qcow2", "/o.qcow2")],
        };

        byte[] line = JsonSerializer.SerializeToUtf8Bytes<ControlRequest>(request, ControlJsonContext.Default.ControlRequest);
        CheckpointRequest read = Assert.IsType<CheckpointRequest>(ControlMessages.ParseRequest(line).Request);

        Assert.Equal(request.Disks, read.Disks);
        Assert.Equal((request.Id, request.StateFile, request.MemoryFile), (read.Id, read.StateFile, read.MemoryFile));
    }

    [Fact]
    public void ReadRequest_Answers_A_Line_Past_The_Limit_With_An_Error()
    {
        byte[] channel = Encoding.UTF8.GetBytes(new string('x', ControlLineReader.MaxLineBytes + 10) + "\n");

        ParsedRequest? parsed = ControlMessages.ReadRequest(new ControlLineReader(new MemoryStream(channel)));

        Assert.NotNull(parsed);
        Assert.Null(parsed.Value.Request);
        Assert.Equal($"malformed request: longer than {ControlLineReader.MaxLineBytes} bytes", parsed.Value.Error);
    }

    [Fact]
    public void ParseAnswer_Reads_A_Workers_Answer()
    {
        ControlResponse? answer = ControlMessages.ParseAnswer(
            """{"version":2,"id":1,"ok":false,"state":"Paused","error":"no"}"""u8, ControlJsonContext.Default.ControlResponse);

        Assert.Equal(new ControlResponse { Id = 1, Ok = false, State = VmState.Paused, Error = "no" }, answer);
    }

    [Fact]
    public void ParseAnswer_Reads_An_Answer_Whose_Null_Members_The_Worker_Left_Out()
    {
        // The worker writes without nulls: a claim with no demand yet (a constructor parameter) is simply absent.
        var claim = new MemoryClaim("vm", Dynamic: false, 64 << 20, 64 << 20, 64 << 20, Buffer: 20, Priority: 50, DemandBytes: null);
        var written = new ControlResponse
        {
            Id = 7,
            Ok = true,
            State = VmState.Running,
            Memory = new VmMemoryReport { AssignedBytes = 64 << 20, TargetBytes = 64 << 20, ResidentBytes = 0, Status = "", Claim = claim, UpdatedAt = DateTimeOffset.UnixEpoch },
        };
        byte[] line = JsonSerializer.SerializeToUtf8Bytes(written, ControlJsonContext.Default.ControlResponse);
        Assert.DoesNotContain("demandBytes", Encoding.UTF8.GetString(line));

        ControlResponse? answer = ControlMessages.ParseAnswer(line, ControlJsonContext.Default.ControlResponse);

        Assert.Equal(claim, answer?.Memory?.Claim);
    }

    private static ParsedRequest Parse(string line) => ControlMessages.ParseRequest(Encoding.UTF8.GetBytes(line));
}
