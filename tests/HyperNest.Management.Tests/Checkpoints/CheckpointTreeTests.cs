using System.Text;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Checkpoints;

/// <summary>
/// A VM's checkpoints/tree.json edited by hand: a tree whose walks would not end (a checkpoint its own ancestor, an
/// overlay its own backing file) or that names what is not there is refused as corrupt when read.
/// </summary>
public sealed class CheckpointTreeTests
{
    private const string A = "11111111-0000-0000-0000-00000000000a", B = "11111111-0000-0000-0000-00000000000b";
    private static readonly VmFolder Folder = new("/store/vms/x");

    [Theory]
    [InlineData($$"""{"checkpoints":[{{{Checkpoint}},"id":"{{A}}","parentId":"{{A}}"}]}""", "descends from itself")]
    [InlineData($$"""{"checkpoints":[{{{Checkpoint}},"id":"{{A}}","parentId":"{{B}}"},{{{Checkpoint}},"id":"{{B}}","parentId":"{{A}}"}]}""", "descends from itself")]
    [InlineData($$"""{"checkpoints":[{{{Checkpoint}},"id":"{{A}}","parentId":"{{B}}"}]}""", $"the parent {B} of checkpoint 'c' is none of them")]
    [InlineData($$"""{"checkpoints":[{{{Checkpoint}},"id":"{{A}}"},{{{Checkpoint}},"id":"{{A}}"}]}""", $"checkpoint {A} is there twice")]
    [InlineData($$"""{"currentId":"{{B}}","checkpoints":[{{{Checkpoint}},"id":"{{A}}"}]}""", $"the current checkpoint {B} is none of them")]
    [InlineData("""{"checkpoints":[null]}""", "a checkpoint has no name or configuration")]
    [InlineData($$"""{"checkpoints":[{"id":"{{A}}","name":"c","creationTime":"2026-01-01T00:00:00Z","configuration":null}]}""", "a checkpoint has no name or configuration")]
    [InlineData($$$$"""{"checkpoints":[{"id":"{{{{A}}}}","name":"c","creationTime":"2026-01-01T00:00:00Z","configuration":{"id":"{{{{A}}}}","name":"vm","processorCount":0,"memory":{"startupBytes":536870912,"minimumBytes":536870912,"maximumBytes":1073741824,"buffer":20,"priority":50},"networkAdapters":[],"hardDrives":[],"boot":{}}}]}""", "the configuration of checkpoint 'c' is damaged: its processor count is 0")]
    [InlineData("""{"overlays":[{"path":"/a","backingPath":"/b","backingFormat":"Qcow2"},{"path":"/b","backingPath":"/a","backingFormat":"Qcow2"}]}""", "is backed by itself")]
    [InlineData("""{"overlays":[{"path":"/a","backingPath":"/b","backingFormat":5}]}""", "disk format 5 is none HyperNest knows")]
    public void Parse_Refuses_A_Tree_Whose_Walks_Would_Not_End_Or_That_Names_What_Is_Not_There_As_Corrupt(string json, string why)
    {
        var e = Assert.Throws<VmStoreException>(() => CheckpointTree.Parse(Encoding.UTF8.GetBytes(json), Folder));

        Assert.StartsWith($"the checkpoints of VM {Folder.Path} are corrupt ({Folder.CheckpointTreeFile}): ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Parse_Reads_A_Tree_With_A_Parent_And_An_Overlay_Chain()
    {
        string json = $$"""
            {"currentId":"{{B}}","checkpoints":[{{{Checkpoint}},"id":"{{A}}"},{{{Checkpoint}},"id":"{{B}}","parentId":"{{A}}"}],
             "overlays":[{"path":"/o1","backingPath":"/d","backingFormat":"Raw"},{"path":"/o2","backingPath":"/o1","backingFormat":"Qcow2"}]}
            """;

        CheckpointTree tree = CheckpointTree.Parse(Encoding.UTF8.GetBytes(json), Folder);

        Assert.Equal([B, A], tree.Subtree(new Guid(A)).Select(c => c.Id.ToString()));
        Assert.Equal(["/o2", "/o1", "/d"], tree.Chain("/o2"));
    }

    private const string Checkpoint =
        "\"name\":\"c\",\"creationTime\":\"2026-01-01T00:00:00Z\",\"configuration\":{\"id\":\"11111111-0000-0000-0000-0000000000ff\",\"name\":\"vm\",\"processorCount\":1," +
        "\"memory\":{\"startupBytes\":536870912,\"minimumBytes\":536870912,\"maximumBytes\":1073741824,\"buffer\":20,\"priority\":50}," +
        "\"networkAdapters\":[],\"hardDrives\":[],\"boot\":{}}";
}
