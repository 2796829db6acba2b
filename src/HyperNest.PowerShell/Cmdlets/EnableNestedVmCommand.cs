using System.Management.Automation;
using HyperNest.Management.Nested;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Enable-NestedVm [-VmName] &lt;String&gt; [-Force] [-EnableMacSpoofing &lt;Boolean&gt;] [-RaiseMemoryTo4GB &lt;Boolean&gt;]
/// [-ShutdownTimeoutSeconds &lt;Int32&gt;] [-Passthru]: sets a VM up for nesting as the guide says. Shows the plan,
/// asks (-Force skips; -WhatIf only shows), then removes saved state, shuts the VM down if it runs, exposes
/// virtualization extensions and disables Dynamic Memory; MAC spoofing and 4 GB startup memory are offered (the
/// switches preset the answers; with -Force, unanswered offers are accepted, as the guide recommends them).
/// Reports "already set up for nesting" when there is nothing to do.
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "NestedVm", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(VMProcessor))]
public sealed class EnableNestedVmCommand : HyperNestCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    public string VmName { get; set; } = "";

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public bool? EnableMacSpoofing { get; set; }

    [Parameter]
    public bool? RaiseMemoryTo4GB { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

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
