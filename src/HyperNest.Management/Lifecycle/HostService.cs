namespace HyperNest.Management.Lifecycle;

/// <summary>
/// hypernest.service: the systemd unit that gives the automatic start and stop actions their effect. At boot it runs
/// <c>hnest host start-vms</c> (a oneshot that stays active), at shutdown <c>hnest host stop-vms</c>, after the network
/// is up and before it goes. The workers start-vms starts belong to the unit's cgroup, so stopping the unit stops
/// them (stop-vms first; what is left is then killed).
/// </summary>
public static class HostService
{
    /// <summary>How long stop-vms may take at shutdown: saves of large guests, 30 s shutdowns, in parallel.</summary>
    public const int StopTimeoutMinutes = 15;

    /// <summary>The unit for <paramref name="hnest"/> and the store at <paramref name="storeHome"/>.</summary>
    public static string Unit(string hnest, string storeHome) => $"""
        [Unit]
        Description=HyperNest: start and stop VMs with the host (their automatic start and stop actions)
        Wants=network-online.target
        After=network-online.target local-fs.target

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        Environment={Quote($"HYPERNEST_HOME={storeHome}")}
        ExecStart={Quote(hnest)} host start-vms
        ExecStop={Quote(hnest)} host stop-vms
        TimeoutStartSec=infinity
        TimeoutStopSec={StopTimeoutMinutes}min
        KillMode=control-group

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>
    /// Writes the unit to <paramref name="path"/> (mode 0644) through a temporary file and a rename, so systemd never
    /// reads half a unit. Throws <see cref="UnauthorizedAccessException"/> when this process may not (not root).
    /// </summary>
    public static void Write(string path, string hnest, string storeHome)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(temporary, Unit(Path.GetFullPath(hnest), storeHome));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>A systemd word in double quotes, its backslashes and quotes escaped (systemd.syntax "Quoting").</summary>
    private static string Quote(string word) => $"\"{word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
