using System.Reflection;
using System.Text.RegularExpressions;

namespace HyperNest.Kvm.Tests;

/// <summary>
/// What a user reads of an exception: one line without .NET formatting; and every place in the sources that puts an
/// exception's message into a text takes it from <see cref="ExceptionMessages.UserMessage"/>.
/// </summary>
public sealed class ExceptionMessagesTests
{
    [Fact]
    public void A_Parameter_Name_Is_Not_Shown()
    {
        var serial = new ArgumentException("a disk serial is at most 20 ASCII characters", "serial");

        Assert.Contains("(Parameter 'serial')", serial.Message);
        Assert.Equal("a disk serial is at most 20 ASCII characters", serial.UserMessage());
    }

    [Fact]
    public void An_Out_Of_Range_Value_Keeps_The_Message_Without_Its_Actual_Value_Line()
    {
        var range = new ArgumentOutOfRangeException("count", 40, "at most 32 vCPUs");

        Assert.Equal("at most 32 vCPUs", range.UserMessage());
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => ArgumentOutOfRangeException.ThrowIfNegative(-1, "index")).ParamName);
        Assert.DoesNotContain("(Parameter", Assert.Throws<ArgumentOutOfRangeException>(() => ArgumentOutOfRangeException.ThrowIfNegative(-1, "index")).UserMessage());
    }

    [Fact]
    public void A_Single_Wrapped_Cause_Is_Shown_And_Lines_Are_Joined()
    {
        var cause = new IOException("no space left on device\nwhile writing saved.memory");

        Assert.Equal("no space left on device; while writing saved.memory", new AggregateException(cause).UserMessage());
        Assert.Equal("no space left on device; while writing saved.memory", new TargetInvocationException(cause).UserMessage());
        Assert.Equal("plain", new InvalidOperationException("plain").UserMessage());
    }

    /// <summary>Records with a Message property of their own (not exceptions), by the variable names the sources use.</summary>
    private static readonly string[] NotExceptions = ["problem", "reason", "hostReason"];

    [Fact]
    public void Every_Message_Site_In_The_Sources_Takes_The_User_Message()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        var reads = new Regex(@"(?<![\w.])(?<name>\w+)\??\.Message\b(?!\s*=[^=>])");
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/bin/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal) || file.EndsWith("ExceptionMessages.cs", StringComparison.Ordinal))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match read in reads.Matches(lines[i]))
                {
                    if (!NotExceptions.Contains(read.Groups["name"].Value))
                    {
                        offenders.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }

                if (Regex.IsMatch(lines[i], @"\b(e|ex|exception)\.ToString\(\)") && !lines[i].Contains("WorkerLog.", StringComparison.Ordinal))
                {
                    offenders.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: a stack trace outside worker.log: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "exception messages read directly (use UserMessage()):\n" + string.Join('\n', offenders));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HyperNest.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("no HyperNest.sln above the test assembly");
    }
}
