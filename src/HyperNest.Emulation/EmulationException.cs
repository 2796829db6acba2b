namespace HyperNest.Emulation;

/// <summary>
/// The emulated host cannot be built or run: a missing tool (the message names the Debian package), a kernel that
/// cannot be had, QEMU failing to start or stopping without progress. The message is one line for the user.
/// </summary>
public class EmulationException(string message) : Exception(message);
