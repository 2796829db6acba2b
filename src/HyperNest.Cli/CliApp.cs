using System.CommandLine;
using HyperNest.Cli.Commands;
using HyperNest.Kvm;
using HyperNest.Emulation;
using HyperNest.Management;
using HyperNest.Management.Accelerators;
using HyperNest.Vmm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Cli;

/// <summary>The hnest command tree and the edge where every failure becomes one line and an exit code.</summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = new RootCommand("HyperNest: a KVM hypervisor built for nested virtualization")
        {
            RunCommand.Create(stdout, stderr),
            VmCommand.Create(stdout, stderr),
            WorkerCommand.Create(),
            NestedCommand.Create(stdout),
            DebugCommand.Create(stdout),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"hnest: {parse.Errors[0].Message}");
            return ExitCodes.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsExpected(e))
        {
            stderr.WriteLine($"hnest: {Describe(e)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"hnest: unexpected error: {e.Message}");
            return ExitCodes.UnexpectedError;
        }
    }

    private static bool IsExpected(Exception e) =>
        e is UsageException or ManagementException or BootException or VmBuildException or DiskException or ArgumentException or EmulationException ||
        (e is KvmException k && k.Call.StartsWith("open ", StringComparison.Ordinal));

    private static string Describe(Exception e) => e is KvmException kvm ? AcceleratorSelector.Describe(kvm) : e.Message;
}
