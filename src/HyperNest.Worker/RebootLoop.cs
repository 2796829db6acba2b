namespace HyperNest.Worker;

/// <summary>
/// When a guest's reboot restarts its VM and when it ends it instead: a guest that reboots <see cref="Limit"/> times
/// within <see cref="Window"/> is in a loop (a kernel that panics at boot with <c>panic=1</c>, an init that fails and
/// reboots), and spinning it costs the host a CPU for nothing; the VM then stops, saying so. Resets the host asks for
/// (Restart-VM) are not counted: they are no loop of the guest's.
/// </summary>
public sealed class RebootLoop
{
    /// <summary>Reboots within <see cref="Window"/> that make a loop: the one that reaches this count ends the VM.</summary>
    public const int Limit = 5;

    /// <summary>The span <see cref="Limit"/> reboots must fall within to be a loop.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly Queue<long> _recent = new();

    /// <summary>The end a loop gives the VM, in Get-VM's words.</summary>
    public static string StopReason { get; } =
        $"the guest rebooted {Limit} times within {Window.TotalSeconds:0} s: HyperNest stopped it (a reboot loop)";

    /// <summary>
    /// Counts a guest reboot at <paramref name="nowMilliseconds"/> (a monotonic clock, <see cref="Environment.TickCount64"/>);
    /// true when the VM restarts, false when this reboot is the <see cref="Limit"/>th within <see cref="Window"/>.
    /// </summary>
    public bool Restarts(long nowMilliseconds)
    {
        long windowStart = nowMilliseconds - (long)Window.TotalMilliseconds;
        while (_recent.Count > 0 && _recent.Peek() <= windowStart)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue(nowMilliseconds);
        return _recent.Count < Limit;
    }
}
