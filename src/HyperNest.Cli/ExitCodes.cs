namespace HyperNest.Cli;

/// <summary>hnest's exit codes (documented in README.md). hnest run maps the guest's end to 0, 3, 4, 5.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int UnexpectedError = 1;
    public const int BadInput = 2;
    public const int GuestReboot = 3;
    public const int GuestTripleFault = 4;
    public const int GuestCrash = 5;
    public const int Interrupted = 130;
}
