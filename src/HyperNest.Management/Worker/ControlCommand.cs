namespace HyperNest.Management.Worker;

/// <summary>What a control-socket request asks the worker to do.</summary>
public enum ControlCommand
{
    Status,
    Pause,
    Resume,

    /// <summary>Ask the guest to shut down; the VM shows Stopping until it does or the timeout passes.</summary>
    Shutdown,

    /// <summary>Cut the power.</summary>
    TurnOff,

    /// <summary>Bytes for the guest's serial console (base64 in <see cref="ControlRequest.Data"/>).</summary>
    Input,
}
