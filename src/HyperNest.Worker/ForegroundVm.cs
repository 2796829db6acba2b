using HyperNest.Management.Worker;
using HyperNest.Management.Model;
using HyperNest.Vmm;
using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Management.Store;
using HyperNest.Worker.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperNest.Worker;

/// <summary>
/// <c>hnest run</c>'s VM: the same <see cref="VmController"/> loop a background worker runs, driven by the terminal
/// and signals instead of a control socket. SIGTERM is <see cref="Shutdown"/> (the power button, then a power cut
/// at the deadline), a second SIGTERM, SIGINT and Ctrl-] are <see cref="TurnOff"/>: every action reaches the VM
/// through the control thread, never from a signal handler.
/// </summary>
public sealed class ForegroundVm : IDisposable
{
    private readonly AdapterPorts? _ports;
    private readonly VmController _controller;
    private int _shutdowns;

    private ForegroundVm(VirtualMachine vm, AdapterPorts? ports, bool restartOnReboot)
    {
        _ports = ports;
        _controller = new VmController(vm, new StateHolder(), NullLogger.Instance, ports, restartOnReboot: restartOnReboot ? new RebootLoop() : null);
    }

    /// <summary>
    /// The guest's serial port: its output goes to the console stream, input is fed here. After a restart
    /// (<c>--on-reboot restart</c>) it is the new VM's: read it again rather than keep it.
    /// </summary>
    public Uart8250 Console => _controller.Vm.Console;

    /// <summary>What the engine said about how the VM ended (a crash's cause, the shutdown deadline).</summary>
    public string? StopDetail => _controller.Vm.StopDetail;

    /// <summary>Why the run ended when a request or a reboot loop ended it, in Get-VM's words; null otherwise.</summary>
    public string? StopRequest => _controller.StopRequest;

    /// <summary>
    /// Builds the VM with <paramref name="adapters"/> (<c>--nic</c>) as its network adapters: TAP devices named
    /// "hnr&lt;pid&gt;n&lt;index&gt;" on their switches' bridges, gone with this process.
    /// </summary>
    /// <param name="config">The VM.</param>
    /// <param name="console">Where the guest's serial output goes.</param>
    /// <param name="adapters">Its network adapters, or none.</param>
    /// <param name="restartOnReboot">A reboot of the guest restarts the VM (up to <see cref="RebootLoop"/>) instead of ending the run.</param>
    public static ForegroundVm Create(VmConfig config, Stream console, IReadOnlyList<AdapterPlan>? adapters = null, bool restartOnReboot = false)
    {
        AdapterPorts? ports = adapters is { Count: > 0 }
            ? VmWorker.OpenPorts(adapters, AdapterPlan.ForegroundTapPrefix, HostPortPlumbing.For(VmStore.OpenDefault()), NullLogger.Instance)
            : null;
        try
        {
            return new ForegroundVm(VirtualMachine.Create(WithPorts(config, ports), console), ports, restartOnReboot);
        }
        catch
        {
            ports?.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="config"/> with the ports' adapters as its virtio-net devices.</summary>
    internal static VmConfig WithPorts(VmConfig config, AdapterPorts? ports) =>
        ports is null ? config : config with { NetworkAdapters = [.. ports.Ports.Select(p => p.ToVmConfig())] };

    /// <summary>Runs the guest until it ends; returns why.</summary>
    public VmStopReason Run() => _controller.Run();

    /// <summary>
    /// The first call presses the ACPI power button and cuts the power if the guest has not powered off after
    /// <paramref name="timeout"/>; a second call cuts at once.
    /// </summary>
    public void Shutdown(TimeSpan timeout)
    {
        if (Interlocked.Increment(ref _shutdowns) > 1)
        {
            TurnOff("terminated (second SIGTERM)");
            return;
        }

        _controller.Post(new ShutdownRequest { TimeoutSeconds = (int)timeout.TotalSeconds, CutPowerAtTimeout = true });
    }

    /// <summary>Cuts the power; <paramref name="reason"/> is how the end is described.</summary>
    public void TurnOff(string reason) => _controller.Post(new TurnOffRequest { Reason = reason });

    public void Dispose()
    {
        _controller.Vm.Dispose();
        _ports?.Dispose();
    }

    /// <summary>No runtime.json for a foreground VM: its state lives only as long as the command.</summary>
    private sealed class StateHolder : IVmStateReporter
    {
        public VmState State { get; private set; } = VmState.Starting;

        public void Write(VmState state) => State = state;

        public void Restarted() => State = VmState.Running;
    }
}
