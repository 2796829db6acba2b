namespace HyperNest.Management.Lifecycle;

/// <summary>The state changes Hyper-V offers (Start-VM, Stop-VM -TurnOff, Stop-VM, Save-VM, Suspend-VM, Resume-VM, Remove-VMSavedState, Restart-VM).</summary>
public enum VmAction
{
    Start,
    TurnOff,
    Shutdown,
    Save,
    Suspend,
    Resume,
    RemoveSavedState,
    Restart,
}
