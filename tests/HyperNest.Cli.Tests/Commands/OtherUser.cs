namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// Someone else on this host, for tests of who may use a store: uid 65534 with no groups (an outsider) or with one
/// group (a member), made by setpriv for each command. Needs root (<see cref="HostRoot"/>), and a checkout that uid
/// 65534 can read, since it runs the same hnest.dll.
/// </summary>
public sealed class OtherUser(string[] setpriv)
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static OtherUser Outsider { get; } = new(Setpriv("--clear-groups"));

    public static OtherUser MemberOf(uint group) => new(Setpriv($"--groups={group}"));

    /// <summary>Can uid 65534 run hnest here; skip with <see cref="WhyNot"/> otherwise.</summary>
    public static bool Usable => HostRoot.Usable && Problem.Value is null;

    public static string WhyNot => HostRoot.Usable ? Problem.Value ?? string.Empty : HostRoot.WhyNot;

    /// <summary>hnest as this user, with <paramref name="home"/>'s environment.</summary>
    public HnestProcess.Result Hnest(VmHome home, params string[] args) => HnestProcess.RunWrapped(setpriv, home.Environment, args);

    /// <summary>hnest as this user in the background (a console that follows until the VM is off).</summary>
    public Task<HnestProcess.Result> StartHnest(VmHome home, params string[] args) =>
        Task.Factory.StartNew(() => Hnest(home, args), TaskCreationOptions.LongRunning);

    /// <summary>Any command as this user: its exit code, stdout and stderr.</summary>
    public HnestProcess.Result Run(params string[] command) => HnestProcess.RunCommand([.. setpriv, .. command]);

    /// <summary>
    /// Connects to a control socket with perl (perl-base: on every Debian host) and sends one status request; stdout
    /// is the worker's answer line; exit code 2 and stderr "connect: Permission denied" when the socket is out of reach.
    /// </summary>
    public HnestProcess.Result AskStatus(string socket) => Run("perl", "-MIO::Socket::UNIX", "-e",
        """$s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or do { print STDERR "connect: $!\n"; exit 2 }; print $s qq({"command":"status","version":2}\n); print scalar <$s>;""",
        socket);

    private static string[] Setpriv(string groups) =>
        ["setpriv", $"--reuid={HostRoot.Outsider}", $"--regid={HostRoot.Outsider}", groups];

    private static string? Probe()
    {
        HnestProcess.Result result = HnestProcess.RunWrapped(Setpriv("--clear-groups"), new Dictionary<string, string>(), "--version");
        return result.ExitCode == 0 ? null
            : $"uid {HostRoot.Outsider} cannot run {Path.Combine(AppContext.BaseDirectory, "hnest.dll")} (a checkout others cannot read?): {result.Stderr.Trim()}";
    }
}
