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
        ProcessStartInfo start = StartInfo([.. wrapper, "dotnet", Path.Combine(AppContext.BaseDirectory, "hnest.dll"), .. args]);

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

        return Run(start, $"hnest {string.Join(' ', args)}");
    }

    /// <summary>Runs any command (setpriv, groupadd, getent) as hnest is run: stdin closed, output kept, two minutes at most.</summary>
    public static Result RunCommand(params string[] command) => Run(StartInfo(command), string.Join(' ', command));

    private static ProcessStartInfo StartInfo(string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static Result Run(ProcessStartInfo start, string what)
    {
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish");
        }

        UserFacingText.AssertClean(stdout.Result + stderr.Result, what);
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
