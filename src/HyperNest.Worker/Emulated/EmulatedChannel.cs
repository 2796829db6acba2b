namespace HyperNest.Worker;

/// <summary>How the host drives the hnest inside an emulated host (the init script's first argv word).</summary>
public enum EmulatedChannel
{
    /// <summary><c>hnest run</c> in the foreground: the control port carries signal names (TERM, KILL) for it.</summary>
    Signals,

    /// <summary>A managed VM: <c>hnest run --control-fd 4</c> speaks the control protocol on the port.</summary>
    Protocol,
}
