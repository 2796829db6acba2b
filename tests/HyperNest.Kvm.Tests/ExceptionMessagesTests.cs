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

    private sealed record Sample(int Count, string Name, Guid Id, IReadOnlyList<long> Sizes, Inner Inner);

    private sealed record Inner(bool On);

    /// <summary>
    /// System.Text.Json's refusals name .NET types and end in "Path: … | LineNumber: … | BytePositionInLine: …"; a
    /// user who edited a config.json, or a peer on the control socket, reads instead what was expected and where (the
    /// JSON path, and line and byte counted from 1).
    /// </summary>
    [Theory]
    [InlineData("""{"count":"x","name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[],"inner":{"on":true}}""", "expected a number, got a string (at count, line 1, byte 13)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e","sizes":[],"inner":{"on":true}}""", "expected a GUID (at id, line 1, byte 38)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[1,"2"],"inner":{"on":true}}""", "expected a number, got a string (at sizes[1], line 1, byte 81)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":{},"inner":{"on":true}}""", "expected a list (at sizes, line 1, byte 76)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[],"inner":{"on":1}}""", "expected true or false, got a number (at inner.on, line 1, byte 93)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[],"inner":7}""", "expected an object (at inner, line 1, byte 87)")]
    [InlineData("""{"count":1,"name":null,"id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[],"inner":{"on":true}}""", "null is not allowed here (at name, line 1, byte 23)")]
    [InlineData("""{"count":1,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[]}""", "required members are missing: 'inner' (at line 1, byte 78)")]
    [InlineData("""{"count":99999999999,"name":"a","id":"6a1c3e0e-46b1-4d8f-9f0b-0c3a5d2e7f11","sizes":[],"inner":{"on":true}}""", "expected a whole number from -2147483648 to 2147483647 (at count, line 1, byte 21)")]
    [InlineData("""{"count":}""", "'}' is an invalid start of a value (at count, line 1, byte 10)")]
    [InlineData("{\n\"count\":1,,}", "',' is an invalid start of a property name. Expected a '\"' (at line 2, byte 11)")]
    public void A_JSON_Refusal_Names_What_Was_Expected_And_Where_Without_DotNet_Types(string json, string expected)
    {
        var options = new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };

        var error = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Sample>(json, options));
        string message = error.UserMessage();

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        foreach (string artefact in new[] { "System.", "HyperNest.", "Path:", "LineNumber", "BytePositionInLine", "Consider", "\n" })
        {
            Assert.DoesNotContain(artefact, message, StringComparison.Ordinal);
        }
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
