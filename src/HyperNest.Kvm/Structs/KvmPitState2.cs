using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_pit_state2: the in-kernel i8254 state (opaque to HyperNest).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmPitState2
{
    public State112 Raw;

    [InlineArray(112)]
    public struct State112
    {
        private byte _element;
    }
}
