using System.Globalization;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// A throwaway group ("hnt-" and 8 hex digits) for a store shared with a group: hnest is pointed at it with
/// $HYPERNEST_GROUP, so the host's own "hypernest" group, if any, is never touched. Deleted on dispose. Needs root.
/// </summary>
public sealed class TestGroup : IDisposable
{
    public TestGroup()
    {
        Name = $"hnt-{Guid.NewGuid().ToString("N")[..8]}";
        Run("groupadd", Name);
        Id = uint.Parse(Run("getent", "group", Name).Split(':')[2], CultureInfo.InvariantCulture);
    }

    public string Name { get; }

    public uint Id { get; }

    public void Dispose() => Run("groupdel", Name);

    private static string Run(params string[] command)
    {
        HnestProcess.Result result = HnestProcess.RunCommand(command);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.Stderr}");
        return result.Stdout;
    }
}
