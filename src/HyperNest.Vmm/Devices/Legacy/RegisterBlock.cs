namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>Maps the bytes of a bus access onto a device's byte-wide registers.</summary>
internal static class RegisterBlock
{
    /// <summary>
    /// The register that byte <paramref name="index"/> of an access at <paramref name="offset"/> lands on, or -1
    /// when it falls outside a block of <paramref name="length"/> registers (never wrapping around).
    /// </summary>
    public static int ByteAt(ulong offset, int index, int length) =>
        offset < (ulong)length && (ulong)index < (ulong)length - offset ? (int)offset + index : -1;
}
