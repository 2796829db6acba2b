namespace HyperNest.Management.Model;

/// <summary>Restart-VM's -Type: how a running VM is restarted.</summary>
public enum RestartType
{
    /// <summary>A hard reset, as by a power cut and power on: the VM boots again with the same settings and disks.</summary>
    Reset,

    /// <summary>Ask the guest's OS to reboot (Hyper-V uses its Shutdown integration service); HyperNest has no channel for it yet.</summary>
    Reboot,
}
