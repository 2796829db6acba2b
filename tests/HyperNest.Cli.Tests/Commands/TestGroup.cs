using System.Globalization;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// A throwaway group ("hnt-" and 8 hex digits) for a store shared with a group: hnest is pointed at it with
/// $HYPERNEST_GROUP, so the host's own "hypernest" group, if any, is never touched. Deleted on dispose. Needs root.
/// </summary>
public sealed class TestGroup : IDisposable
{
    /// <summary>Makes the group <paramref name="name"/>, or one with a fresh name (<see cref="NewName"/>).</summary>
    public TestGroup(string? name = null)
    {
        Name = name ?? NewName();
        Run("groupadd", Name);
        Id = uint.Parse(Run("getent", "group", Name).Split(':')[2], CultureInfo.InvariantCulture);
    }

    public string Name { get; }

    /// <summary>A name no group has: hnest can be pointed at a group before it exists.</summary>
    public static string NewName() => $"hnt-{Guid.NewGuid().ToString("N")[..8]}";

    public uint Id { get; }

    public void Dispose() => Run("groupdel", Name);

    private static string Run(params string[] command)
    {
        HnestProcess.Result result = HnestProcess.RunCommand(command);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.Stderr}");
        return result.Stdout;
    }
}
