namespace HyperNest.Management.Model;

/// <summary>A VM's state, named as Hyper-V's Get-VM shows it.</summary>
public enum VmState
{
    Off,
    Running,
    Paused,
    Saved,
    Starting,
    Stopping,
}
