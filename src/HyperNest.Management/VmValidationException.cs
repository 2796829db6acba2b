namespace HyperNest.Management;

/// <summary>A requested setting is invalid (Hyper-V's wording where Hyper-V has one).</summary>
public class VmValidationException(string message) : ManagementException(message);
