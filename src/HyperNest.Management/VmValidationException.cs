namespace HyperNest.Management;

/// <summary>A requested setting is invalid (Hyper-V's wording where Hyper-V has one).</summary>
public sealed class VmValidationException(string message) : ManagementException(message);
