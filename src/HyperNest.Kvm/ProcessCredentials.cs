namespace HyperNest.Kvm;

/// <summary>Who this process is to the kernel when it checks a file access: its effective user id.</summary>
public static class ProcessCredentials
{
    public static uint EffectiveUserId => Interop.GetEuid();

    public static bool IsRoot => EffectiveUserId == 0;

    /// <summary>May this process write into <paramref name="path"/> (create or remove entries of a directory)?</summary>
    public static bool CanWrite(string path) => Interop.EuidAccess(path, Interop.W_OK) == 0;
}
