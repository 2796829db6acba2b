using System.Diagnostics;

namespace HyperNest.Cli.Tests;

/// <summary>Runs the hnest CLI (the hnest.dll built beside the tests) as a child process, as a user would.</summary>
public static class HnestProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args) => RunWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>Runs hnest in the background (for tests of concurrent commands).</summary>
    public static Task<Result> StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Task.Factory.StartNew(() => RunWithEnvironment(environment, args), TaskCreationOptions.LongRunning);

    public static Result RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWrapped([], environment, args);

    /// <summary>Runs hnest under <paramref name="wrapper"/> (a command and its arguments, e.g. setpriv dropping a capability).</summary>
    public static Result RunWrapped(string[] wrapper, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in wrapper.Length > 0 ? [.. wrapper[1..], "dotnet"] : Array.Empty<string>())
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hnest.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The emulated accelerator carries the NativeAOT hnest into its image; ./run-tests sets this, a bare
        // `dotnet test` finds the one ./hnest publishes.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HYPERNEST_BINARY")) && PublishedHnest() is { } published)
        {
            start.Environment["HYPERNEST_BINARY"] = published;
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hnest {string.Join(' ', args)} did not finish");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>artifacts/hnest/hnest of the repository these tests were built from, when ./hnest has published it.</summary>
    private static string? PublishedHnest()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "artifacts", "hnest", "hnest");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
