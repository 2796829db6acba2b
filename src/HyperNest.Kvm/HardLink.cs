namespace HyperNest.Kvm;

/// <summary>A second name for a file: both names share its data, and deleting one leaves the other whole.</summary>
public static class HardLink
{
    /// <summary>
    /// Gives <paramref name="existing"/> the name <paramref name="newPath"/> (which must not exist), else, across file
    /// systems or where links are not allowed, copies it. Throws <see cref="IOException"/> when neither works.
    /// </summary>
    public static void CreateOrCopy(string existing, string newPath)
    {
        if (Interop.Link(existing, newPath) == 0)
        {
            return;
        }

        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno == Errno.EEXIST)
        {
            throw new IOException($"'{newPath}' already exists");
        }

        File.Copy(existing, newPath);
    }
}
