namespace HyperNest.Management.Accelerators;

/// <summary>The accelerator names users type: auto, kvm, emulated (any case).</summary>
public static class AcceleratorParser
{
    public const string Names = "auto, kvm or emulated";

    public static Accelerator Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => Accelerator.Auto,
        "kvm" => Accelerator.Kvm,
        "emulated" => Accelerator.Emulated,
        _ => throw new VmValidationException($"accelerator '{text}' is not known: use {Names}"),
    };

    public static string Format(Accelerator accelerator) => accelerator.ToString().ToLowerInvariant();
}
