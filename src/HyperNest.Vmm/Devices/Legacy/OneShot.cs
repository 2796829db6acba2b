namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// A callback that runs on the first <see cref="Fire"/> only, whichever vCPU thread gets there first. Guests repeat
/// the writes that end a VM (Linux's reboot writes 0xFE to the 8042 in a loop), and the VMM wants one request.
/// </summary>
internal sealed class OneShot(Action callback)
{
    private int _fired;

    public bool HasFired => Volatile.Read(ref _fired) != 0;

    public void Fire()
    {
        if (Interlocked.Exchange(ref _fired, 1) == 0)
        {
            callback();
        }
    }
}
