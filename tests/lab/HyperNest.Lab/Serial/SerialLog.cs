namespace HyperNest.Lab.Serial;

/// <summary>
/// Reads the serial console line by line for the markers the lab's and the guest's init print: the init marker,
/// the verdict, the output of a --shell-cmd command, and a kernel panic (with panic=-1 and -no-reboot QEMU then
/// exits without a verdict; the panic line is the reason to report).
/// </summary>
/// <remarks>
/// Markers are searched anywhere in a line, not only at its start: kernel messages may interleave with init's
/// output on the same console.
/// </remarks>
public sealed class SerialLog(string resultMarker)
{
    /// <summary>The verdict marker of the lab host's init (tests/lab/init/lab-lib.sh).</summary>
    public const string LabResultMarker = "LAB-RESULT";

    /// <summary>The verdict marker of the inner guest's init (tests/lab/init/guest-init.sh).</summary>
    public const string GuestResultMarker = "HNEST-GUEST-RESULT";

    public const string InitMarker = "LAB-INIT";
    public const string ShellBeginMarker = "LAB-SHELL-BEGIN";
    public const string ShellEndMarker = "LAB-SHELL-END";
    public const string PanicMarker = "Kernel panic";

    /// <summary>How tests/lab/init/lab-lib.sh prefixes the inner guest's console: its panics are not the lab's.</summary>
    public const string GuestOutputPrefix = "guest| ";

    private readonly List<string> _shellOutput = [];
    private bool _inShellOutput;

    public bool InitReached { get; private set; }

    public Verdict? Verdict { get; private set; }

    public string? Panic { get; private set; }

    public IReadOnlyList<string> ShellOutput => _shellOutput;

    public int? ShellExitCode { get; private set; }

    public void Accept(string rawLine)
    {
        string line = rawLine.TrimEnd('\r', '\n');
        if (_inShellOutput)
        {
            if (TryTail(line, ShellEndMarker, out string code))
            {
                _inShellOutput = false;
                ShellExitCode = int.TryParse(code, out int exitCode) ? exitCode : -1;
            }
            else
            {
                _shellOutput.Add(line);
            }

            return;
        }

        if (line.Contains(ShellBeginMarker, StringComparison.Ordinal))
        {
            _inShellOutput = true;
        }
        else if (line.Contains(InitMarker, StringComparison.Ordinal))
        {
            InitReached = true;
        }
        else if (Verdict is null && TryTail(line, resultMarker, out string result))
        {
            Verdict = Parse(result);
        }
        else if (Panic is null && !line.StartsWith(GuestOutputPrefix, StringComparison.Ordinal) && line.Contains(PanicMarker, StringComparison.Ordinal))
        {
            Panic = line[line.IndexOf(PanicMarker, StringComparison.Ordinal)..];
        }
    }

    internal static Verdict Parse(string result)
    {
        if (result == "PASS")
        {
            return new Verdict(true, "");
        }

        string reason = result.StartsWith("FAIL", StringComparison.Ordinal) ? result["FAIL".Length..].Trim() : result;
        return new Verdict(false, reason.Length > 0 ? reason : "(no reason given)");
    }

    /// <summary>The text after "<paramref name="marker"/> " when the line holds it.</summary>
    private static bool TryTail(string line, string marker, out string tail)
    {
        int at = line.IndexOf(marker + " ", StringComparison.Ordinal);
        tail = at >= 0 ? line[(at + marker.Length + 1)..].Trim() : "";
        return at >= 0;
    }
}
