namespace HyperNest.Vmm.Cpu;

/// <summary>The states of a vCPU thread (events in: Start, Pause, Resume, Stop; see <see cref="Vcpu"/>).</summary>
public enum VcpuState
{
    Created,
    Running,
    Paused,
    Exited,
}
