namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// The ACPI power-management block's state between a save and a restore (ACPI 6.5 §4.8.3.7).
/// </summary>
/// <param name="SleepType">SLP_TYPx as the guest last wrote it, in its place (bits 2–4 of the sleep control register).</param>
public sealed record AcpiPmState(byte SleepType);
