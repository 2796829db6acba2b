using HyperNest.Vmm;

namespace HyperNest.Cli;

/// <summary>
/// SIGTERM for a VM: the first request presses the ACPI power button and gives the guest a deadline to power off;
/// a second request, or the deadline, cuts the power.
/// </summary>
public sealed class GracefulShutdown(VirtualMachine vm, TimeSpan timeout)
{
    private int _requests;

    public void Request()
    {
        if (Interlocked.Increment(ref _requests) > 1)
        {
            vm.RequestStop(VmStopReason.Stopped, "terminated (second SIGTERM)");
            return;
        }

        vm.PressPowerButton();
        var deadline = new Thread(() =>
        {
            Thread.Sleep(timeout);
            vm.RequestStop(VmStopReason.Stopped, $"the guest did not power off within {timeout.TotalSeconds:0} s of the power button");
        }) { IsBackground = true, Name = "shutdown-deadline" };
        deadline.Start();
    }
}
