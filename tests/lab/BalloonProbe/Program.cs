// A test-only program for the lab: boots a Linux guest with HyperNest.Vmm (the VirtualMachine hnest runs, balloon
// attached by default) and drives its virtio-balloon from the host side, which hnest has no control request for yet.
// It waits for the driver, reads the statistics the driver primed, asks for fresh ones, inflates the balloon to
// <target MiB> and deflates it again, printing "PROBE ..." lines between the guest's console lines.
//
//   dotnet publish tests/lab/BalloonProbe -c Release -r linux-x64 -o /tmp/balloon-probe
//   HNEST_BINARY=/tmp/balloon-probe/balloon-probe tests/lab/run --shell-cmd '/lab/hnest /lab/vmlinuz \
//       /lab/guest-initrd.img "$GUEST_APPEND_BASE hnest.scenario=balloon-probe hnest.balloon_mib=64" 256 64' --timeout 400
using System.Diagnostics;
using HyperNest.Vmm;
using HyperNest.Vmm.Devices.Virtio;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: balloon-probe <kernel> <initrd> <append> <memory MiB> <target MiB>");
    return 2;
}

ulong targetBytes = ulong.Parse(args[4]) << 20;
var config = new VmConfig
{
    KernelPath = args[0],
    InitrdPath = args[1],
    KernelArguments = args[2],
    MemoryBytes = ulong.Parse(args[3]) << 20,
};
using VirtualMachine vm = VirtualMachine.Create(config, Console.OpenStandardOutput());
Balloon balloon = vm.Balloon ?? throw new InvalidOperationException("the VM has no balloon");
VmStopReason reason = VmStopReason.Stopped;
var run = new Thread(() => reason = vm.Run()) { Name = "vm" };
run.Start();

var clock = Stopwatch.StartNew();
bool ok = Step("driver ready", 180, () => balloon.DriverReady)
    && Step("first statistics", 30, () => balloon.Statistics is not null);
if (ok)
{
    Say($"statistics {Describe(balloon.Statistics!)}");
    long first = balloon.Statistics!.ReceivedAt;
    balloon.RequestStatistics();
    ok = Step("fresh statistics after RequestStatistics", 30, () => balloon.Statistics!.ReceivedAt != first);
    Say($"statistics {Describe(balloon.Statistics!)}");
}

if (ok)
{
    Say($"host RSS before inflating: {ResidentKiB()} kB");
    balloon.SetTarget(targetBytes);
    ok = Step($"actual = target {targetBytes >> 20} MiB", 180, () => balloon.ActualBytes == targetBytes);
    Say($"actual {balloon.ActualBytes >> 20} MiB, {balloon.Counters}, host RSS {ResidentKiB()} kB");
    Thread.Sleep(5000);
    balloon.RequestStatistics();
    Thread.Sleep(2000);
    Say($"statistics while inflated {Describe(balloon.Statistics!)}");
    balloon.SetTarget(0);
    ok &= Step("actual = 0 after SetTarget(0)", 180, () => balloon.ActualBytes == 0);
    Say($"actual {balloon.ActualBytes >> 20} MiB, {balloon.Counters}, host RSS {ResidentKiB()} kB");
}

if (!run.Join(TimeSpan.FromSeconds(240)))
{
    vm.RequestStop(VmStopReason.Stopped, "probe timeout");
    run.Join();
}

Say($"guest stopped: {reason}; counters at the end {balloon.Counters}");
Say(ok ? "RESULT PASS" : "RESULT FAIL");
return ok && reason == VmStopReason.PowerOff ? 0 : 1;

bool Step(string what, int seconds, Func<bool> done)
{
    var deadline = Stopwatch.StartNew();
    while (!done())
    {
        if (deadline.Elapsed.TotalSeconds > seconds)
        {
            Say($"{what}: not within {seconds} s (actual {balloon.ActualBytes >> 20} MiB, ready {balloon.DriverReady}, {balloon.Counters})");
            return false;
        }

        Thread.Sleep(100);
    }

    Say($"{what} (t={clock.Elapsed.TotalSeconds:F1} s)");
    return true;
}

static string Describe(BalloonStatistics s) =>
    $"total={s.TotalMemory >> 10} kB free={s.FreeMemory >> 10} kB available={s.AvailableMemory >> 10} kB caches={s.DiskCaches >> 10} kB " +
    $"majflt={s.MajorFaults} minflt={s.MinorFaults} swap_in={s.SwapIn} swap_out={s.SwapOut} htlb={s.HugetlbAllocations}/{s.HugetlbFailures} " +
    $"age={Environment.TickCount64 - s.ReceivedAt} ms";

static string ResidentKiB() =>
    File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "?";

static void Say(string line) => Console.Out.Write($"\r\nPROBE {line}\r\n");
