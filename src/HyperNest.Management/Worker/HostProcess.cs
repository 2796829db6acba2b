using System.Globalization;

namespace HyperNest.Management.Worker;

/// <summary>A process as /proc/PID/stat shows it: whether it lives, when it started, how much CPU it used.</summary>
public sealed record HostProcess(int Pid, char State, long StartTicks, long CpuTicks)
{
    /// <summary>USER_HZ: /proc times are in these units on every Linux architecture HyperNest runs on.</summary>
    public const int TicksPerSecond = 100;

    public bool IsAlive => State is not ('Z' or 'X' or 'x');

    public static HostProcess Current => Read(Environment.ProcessId) ?? throw new InvalidOperationException("/proc/self/stat is unreadable");

    public static HostProcess? Read(int pid) => ReadStat(pid, $"/proc/{pid}/stat");

    /// <summary>One thread of process <paramref name="pid"/> (/proc/PID/task/TID/stat): its CPU time is the thread's own.</summary>
    public static HostProcess? ReadThread(int pid, int threadId) => ReadStat(threadId, $"/proc/{pid}/task/{threadId}/stat");

    private static HostProcess? ReadStat(int pid, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new HostProcess(pid, fields[0][0], StartTicks: Field(22), CpuTicks: Field(14) + Field(15));
    }

    /// <summary>The live process with this pid and start time, or null when it ended (a reused pid does not count).</summary>
    public static HostProcess? ReadLive(int pid, long startTicks) =>
        Read(pid) is { IsAlive: true } process && process.StartTicks == startTicks ? process : null;
}
