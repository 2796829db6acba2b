using System.Runtime.InteropServices;

namespace HyperNest.Fuzz;

/// <summary>
/// The coverage map for a replay outside the fuzzer. fuzz/run instruments HyperNest's assemblies in place: every branch
/// then increments a byte of SharpFuzz's map, which only a fuzzing run allocates; replaying an input on that build
/// (the command fuzz/run prints for a finding) needs a map of its own, which nothing reads.
/// </summary>
internal static unsafe class ReplayCoverage
{
    private const int MapSize = 1 << 16;

    public static void Initialize()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
        }
    }
}
