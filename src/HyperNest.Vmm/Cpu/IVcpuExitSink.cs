namespace HyperNest.Vmm.Cpu;

/// <summary>Where a vCPU reports that the guest (or KVM) ended the VM. Called from the vCPU's thread.</summary>
public interface IVcpuExitSink
{
    void OnStopRequested(uint vcpuId, VmStopReason reason, string? detail);
}
