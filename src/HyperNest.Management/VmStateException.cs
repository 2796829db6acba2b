using HyperNest.Management.Model;

namespace HyperNest.Management;

/// <summary>The VM's state does not allow the operation (Hyper-V's state table or an Off-only setting).</summary>
public sealed class VmStateException(string message, VmState state) : ManagementException(message)
{
    public VmState State { get; } = state;
}
