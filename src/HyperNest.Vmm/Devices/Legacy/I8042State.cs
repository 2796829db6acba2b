namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// The PS/2 controller's state between a save and a restore: its configuration byte, the output buffer, and a
/// two-byte command waiting for its argument. A controller whose reset line fired is never saved (its VM has ended).
/// </summary>
/// <param name="Configuration">The controller configuration byte (commands 0x20/0x60).</param>
/// <param name="Output">The last byte put in the output buffer (read on port 0x60).</param>
/// <param name="OutputFull">The output buffer holds a byte the guest has not read (status bit 0).</param>
/// <param name="LastWriteWasCommand">The last write went to port 0x64 (status bit 3).</param>
/// <param name="PendingCommand">0x60 or 0xD1 waiting for its argument on port 0x60, else 0.</param>
public sealed record I8042State(byte Configuration, byte Output, bool OutputFull, bool LastWriteWasCommand, byte PendingCommand);
