using HyperNest.Kvm;
using HyperNest.Emulation;

namespace HyperNest.Management.Networking;

/// <summary>Runs iproute2's <c>ip</c>; a refusal becomes one line: the command and what ip said.</summary>
internal static class IpCommand
{
    /// <summary>Runs <c>ip ARGS</c> and returns what it printed; throws when it fails.</summary>
    public static string Run(params string[] arguments)
    {
        ProcessRunner.Result result = Start(arguments);
        return result.Succeeded ? result.StandardOutput : throw Refused(arguments, result);
    }

    /// <summary>Runs <c>ip ARGS</c>; a failure whose complaint contains one of <paramref name="tolerated"/> is no error.</summary>
    public static void RunTolerating(string[] tolerated, params string[] arguments)
    {
        ProcessRunner.Result result = Start(arguments);
        if (!result.Succeeded && !tolerated.Any(t => result.StandardError.Contains(t, StringComparison.OrdinalIgnoreCase)))
        {
            throw Refused(arguments, result);
        }
    }

    private static ProcessRunner.Result Start(string[] arguments)
    {
        try
        {
            return ProcessRunner.Run("ip", arguments);
        }
        catch (EmulationException e)
        {
            throw new HostNetworkException($"{e.UserMessage()} (apt-get install iproute2)");
        }
    }

    private static HostNetworkException Refused(string[] arguments, ProcessRunner.Result result)
    {
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new($"ip {string.Join(' ', arguments)}: {(lines.Length > 0 ? string.Join(' ', lines) : $"exit code {result.ExitCode}")}");
    }
}
