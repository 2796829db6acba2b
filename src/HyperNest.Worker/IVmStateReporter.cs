using HyperNest.Management.Model;

namespace HyperNest.Worker;

/// <summary>
/// Where a <see cref="VmController"/> reports its VM's state: runtime.json (a worker on this host), or the control
/// port (a worker inside an emulated host, whose host-side worker writes runtime.json).
/// </summary>
internal interface IVmStateReporter
{
    VmState State { get; }

    void Write(VmState state);

    /// <summary>The VM was reset and boots again in the same process: its uptime starts over, its state stays Running.</summary>
    void Restarted();
}
