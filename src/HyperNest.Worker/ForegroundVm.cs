using HyperNest.Management.Worker;
using HyperNest.Management.Model;
using HyperNest.Vmm;
using HyperNest.Vmm.Devices.Legacy;
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
    private readonly VirtualMachine _vm;
    private readonly VmController _controller;
    private int _shutdowns;

    private ForegroundVm(VirtualMachine vm)
    {
        _vm = vm;
        _controller = new VmController(vm, new StateHolder(), NullLogger.Instance);
    }

    /// <summary>The guest's serial port: its output goes to the console stream, input is fed here.</summary>
    public Uart8250 Console => _vm.Console;

    /// <summary>What the engine said about how the VM ended (a crash's cause, the shutdown deadline).</summary>
    public string? StopDetail => _vm.StopDetail;

    public static ForegroundVm Create(VmConfig config, Stream console) => new(VirtualMachine.Create(config, console));

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

    public void Dispose() => _vm.Dispose();

    /// <summary>No runtime.json for a foreground VM: its state lives only as long as the command.</summary>
    private sealed class StateHolder : IVmStateReporter
    {
        public VmState State { get; private set; } = VmState.Starting;

        public void Write(VmState state) => State = state;
    }
}
