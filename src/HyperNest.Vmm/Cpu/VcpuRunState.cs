namespace HyperNest.Vmm.Cpu;

/// <summary>The run states of a vCPU thread (events in: Start, Pause, Resume, Stop; see <see cref="Vcpu"/>).</summary>
public enum VcpuRunState
{
    Created,
    Running,
    Paused,
    Exited,
}
