using System.Management.Automation;
using HyperNest.Management.Nested;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Sets a virtual machine up to run its own virtual machines (nested virtualization).</summary>
/// <remarks>
/// <para>HyperNest's own cmdlet, doing what Hyper-V's nested virtualization guide asks in one step. It shows its plan
/// and asks for confirmation (-Force skips the question; -WhatIf only shows the plan), then removes the VM's saved
/// state, shuts it down if it runs, exposes virtualization extensions and turns Dynamic Memory off, in one change. It
/// offers MAC address spoofing, so nested VMs reach the network, and 4 GB of startup memory: -EnableMacSpoofing and
/// -RaiseMemoryTo4GB answer those in advance, and with -Force an unanswered offer is accepted.</para>
/// <para>Says the VM is already set up for nesting when there is nothing to do. Whether this host can run it is
/// Get-NestedVirtStatus's answer.</para>
/// </remarks>
/// <example>
/// <code>Enable-NestedVm -VmName hv</code>
/// <para>Shows the plan for hv, asks, and sets it up.</para>
/// </example>
/// <example>
/// <code>Enable-NestedVm hv -Force -RaiseMemoryTo4GB $false</code>
/// <para>Sets hv up without asking, turning MAC address spoofing on but keeping its memory.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Enable, "NestedVm", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(VMProcessor))]
public sealed class EnableNestedVmCommand : HyperNestCmdlet
{
    /// <summary>The name of the VM to set up. Also taken from the pipeline by property name (Name or VmName).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    public string VmName { get; set; } = "";

    /// <summary>
    /// Does it without asking, and accepts the offers not answered by -EnableMacSpoofing or -RaiseMemoryTo4GB.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Whether to turn MAC address spoofing on for the VM's adapters, without asking.</summary>
    [Parameter]
    public bool? EnableMacSpoofing { get; set; }

    /// <summary>Whether to raise the VM's startup memory to 4 GB, without asking.</summary>
    [Parameter]
    public bool? RaiseMemoryTo4GB { get; set; }

    /// <summary>How long to wait for a running guest to shut down, in seconds (1 to 3600, default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Writes the VM's processor settings (a VMProcessor object) afterwards.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        if (Attempt(VmName, () => Manager.GetVm(VmName)) is not { } vm)
        {
            return;
        }

        var options = new NestedEnableOptions
        {
            EnableMacSpoofing = EnableMacSpoofing ?? Offer("Turn MAC address spoofing on, so nested guests get network addresses?"),
            RaiseMemoryToRecommended = RaiseMemoryTo4GB ?? Offer("Raise startup memory to the recommended 4 GB?"),
            ShutdownTimeoutSeconds = ShutdownTimeoutSeconds,
        };
        if (Attempt(vm.Name, () => Manager.PlanEnableNested(vm.Id.ToString(), options)) is not { } plan)
        {
            return;
        }

        if (plan.NothingToDo)
        {
            WriteHost(plan.AlreadySetUpMessage);
        }
        else
        {
            WriteHost($"Enable nested virtualization for '{plan.VmName}':");
            foreach (string step in plan.Steps)
            {
                WriteHost($"  - {step}");
            }

            if (!ShouldProcessHighImpact(plan.VmName, "Enable nested virtualization", Force) ||
                Attempt(plan.VmName, () => Manager.EnableNested(vm.Id.ToString(), options)) is null)
            {
                return;
            }

            WriteHost($"'{plan.VmName}' is set up for nesting.");
        }

        if (Passthru && Attempt(vm.Name, () => Manager.GetVm(vm.Id.ToString())) is { } updated)
        {
            WriteObject(VMProcessor.From(updated));
        }
    }

    /// <summary>An optional step: -Force accepts it, -WhatIf does not ask, otherwise the user answers.</summary>
    private bool Offer(string question) =>
        Force || (!LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")) && !MyInvocation.BoundParameters.ContainsKey("WhatIf") && ShouldContinue(question, "Enable-NestedVm"));

    private void WriteHost(string message) =>
        WriteInformation(new HostInformationMessage { Message = message }, ["PSHOST"]);
}
