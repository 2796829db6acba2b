using System.Text.Json;
using HyperNest.Cli.Commands;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// hnest nested status and hnest run --nested on a PVM host (kvm_pvm: the verdict must be NO and say why); tests that
/// need a PVM host are skipped, with the reason, elsewhere.
/// </summary>
public sealed class NestedCommandTests
{
    [SkippableFact]
    [Trait("Requires", "kvm")]
    [Trait("Requires", "kvm_pvm")]
    public void Status_On_A_Pvm_Host_Says_No_And_Names_Kvm_Pvm_And_The_Missing_Vmx_Svm()
    {
        // What KVM offers guests (KVM_GET_SUPPORTED_CPUID) is part of the verdict: it needs the PVM host's /dev/kvm.
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        HnestProcess.Result result = InEmptyHome("nested", "status");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n');
        Assert.StartsWith("Host: NO", lines[0]);
        Assert.Contains("this host's KVM is kvm_pvm (PVM): guest kernel mode is emulated and VMX/SVM cannot be exposed to guests", lines[1]);
        Assert.Contains(lines, l => l.Contains("offers no VMX/SVM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("fix: ", StringComparison.Ordinal));
        Assert.DoesNotContain("\e[", result.Stdout); // stdout is a pipe: no colour
        Assert.Equal(string.Empty, result.Stderr);
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    [Trait("Requires", "kvm_pvm")]
    public void Status_Json_On_A_Pvm_Host_Parses_And_Says_Not_Supported()
    {
        // What KVM offers guests (KVM_GET_SUPPORTED_CPUID) is part of the verdict: it needs the PVM host's /dev/kvm.
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        HnestProcess.Result result = InEmptyHome("nested", "status", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement host = json.RootElement.GetProperty("host");
        Assert.False(host.GetProperty("supported").GetBoolean());
        JsonElement first = host.GetProperty("reasons")[0];
        Assert.Equal("PvmFlavour", first.GetProperty("code").GetString());
        Assert.Contains("kvm_pvm", first.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("fix").GetString()));
        JsonElement facts = host.GetProperty("facts");
        Assert.Equal("kvm_pvm", facts.GetProperty("vendorModuleName").GetString());
        Assert.Equal("Emulated", facts.GetProperty("guestKernelMode").GetString());
        Assert.False(facts.GetProperty("supportedCpuidOffersSvm").GetBoolean());
        Assert.False(facts.GetProperty("supportedCpuidOffersVmx").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("vms").GetArrayLength());
    }

    [SkippableFact]
    [Trait("Requires", "kvm_pvm")]
    public void Run_Nested_On_A_Pvm_Host_Is_Refused_With_The_First_Reason_On_One_Line()
    {
        // The refusal comes from the KVM flavour (the loaded module), before any VM is made.
        Skip.IfNot(HostKvm.PvmLoaded, HostKvm.WhyNotPvmLoaded);

        HnestProcess.Result result = HnestProcess.Run("run", "--nested");

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StderrLines);
        Assert.StartsWith("hnest: cannot expose virtualization extensions: this host's KVM is kvm_pvm (PVM)", line);
        Assert.Contains("(fix: ", line);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Text_Is_Coloured_Only_When_Asked()
    {
        NestedHostVerdict verdict = NestedHostVerdict.For(new HostFacts { KvmDevicePath = "/dev/kvm", HyperNestVersion = "0" });

        Assert.Contains("\e[31m", Render(verdict, colour: true));
        string plain = Render(verdict, colour: false);
        Assert.DoesNotContain("\e[", plain);
        Assert.StartsWith("Host: NO", plain);
        Assert.Contains("/dev/kvm missing", plain);
    }

    [Fact]
    public void A_Writer_That_Is_Not_The_Console_Gets_No_Colour() =>
        Assert.False(NestedStatusText.ShouldColour(new StringWriter()));

    [Fact]
    public void The_Debug_Verb_Is_Hidden_From_Help()
    {
        HnestProcess.Result result = HnestProcess.Run("--help");

        Assert.Contains("nested", result.Stdout);
        Assert.DoesNotContain("debug", result.Stdout);
    }

    /// <summary>Runs hnest against an empty VM inventory, so the VM part of the status is known.</summary>
    private static HnestProcess.Result InEmptyHome(params string[] args)
    {
        string home = Directory.CreateTempSubdirectory("hnest-home-").FullName;
        try
        {
            return HnestProcess.RunWithEnvironment(new Dictionary<string, string> { ["HYPERNEST_HOME"] = home }, args);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Render(NestedHostVerdict verdict, bool colour)
    {
        using var output = new StringWriter();
        new NestedStatusText(output, colour).Write(verdict, []);
        return output.ToString();
    }
}
