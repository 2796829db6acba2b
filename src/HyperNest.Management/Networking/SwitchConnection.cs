namespace HyperNest.Management.Networking;

/// <summary>A VM's network adapter connected to a switch; shown as "VM/adapter".</summary>
public sealed record SwitchConnection(string VmName, string AdapterName)
{
    public override string ToString() => $"{VmName}/{AdapterName}";
}
