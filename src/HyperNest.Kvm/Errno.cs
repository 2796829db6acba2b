namespace HyperNest.Kvm;

/// <summary>The errno values HyperNest reacts to, and their text.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int E2BIG = 7;
    public const int ENXIO = 6;
    public const int ENOTDIR = 20;
    public const int ERANGE = 34;

    public static string Describe(int errno) => errno switch
    {
        EPERM => "operation not permitted (EPERM)",
        ENOENT => "no such file or directory (ENOENT)",
        EINTR => "interrupted (EINTR)",
        EIO => "input/output error (EIO)",
        EAGAIN => "resource temporarily unavailable (EAGAIN)",
        ENOMEM => "out of memory (ENOMEM)",
        EACCES => "permission denied (EACCES)",
        EFAULT => "bad address (EFAULT)",
        EBUSY => "device or resource busy (EBUSY)",
        EEXIST => "already exists (EEXIST)",
        ENODEV => "no such device (ENODEV)",
        EINVAL => "invalid argument (EINVAL)",
        E2BIG => "argument list too long (E2BIG)",
        ENXIO => "no such device or address (ENXIO)",
        ENOTDIR => "not a directory (ENOTDIR)",
        ERANGE => "result too large (ERANGE)",
        _ => $"errno {errno}",
    };
}
