using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_xcrs (api.rst §4.44): the extended control registers (XCR0), up to KVM_MAX_XCRS (16).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmXcrs
{
    public const int MaxXcrs = 16;

    public uint Count;
    public uint Flags;
    public XcrArray Xcrs;
    private readonly Padding128 _padding;

    [InlineArray(MaxXcrs)]
    public struct XcrArray
    {
        private KvmXcr _element;
    }

    [InlineArray(128)]
    private struct Padding128
    {
        private byte _element;
    }
}
