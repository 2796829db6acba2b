namespace HyperNest.Fuzz.Tests;

/// <summary>
/// The fuzz corpus and every minimized finding, replayed through their targets without the fuzzer: a finding fixed
/// once stays fixed, and a change that breaks an input the fuzzer once reached fails here, in the ordinary suite.
/// fuzz/corpus/&lt;target&gt; holds the inputs that found coverage; fuzz/regressions/&lt;target&gt; holds each
/// finding's minimized input, named after the unit test that states its class (docs/fuzzing.md).
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_input_and_finding_runs_clean(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var inputs = Inputs("corpus", name).Concat(Inputs("regressions", name)).ToList();
        Assert.NotEmpty(inputs);
        var failures = new List<string>();
        foreach (string file in inputs)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(Root, file)}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_corpus_and_regression_folder_names_a_target()
    {
        var names = FuzzTargets.All.Select(t => t.Name).ToHashSet();
        foreach (string kind in new[] { "corpus", "regressions" })
        {
            string folder = Path.Combine(Root, "fuzz", kind);
            foreach (string sub in Directory.Exists(folder) ? Directory.GetDirectories(folder) : [])
            {
                Assert.Contains(Path.GetFileName(sub), names);
            }
        }
    }

    [Fact]
    public void Target_names_are_unique_lowercase_words()
    {
        var names = FuzzTargets.All.Select(t => t.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
    }

    private static IEnumerable<string> Inputs(string kind, string target)
    {
        string folder = Path.Combine(Root, "fuzz", kind, target);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal) : [];
    }

    private static string FindRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "HyperNest.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException("the tests run outside a HyperNest checkout");
    }
}
