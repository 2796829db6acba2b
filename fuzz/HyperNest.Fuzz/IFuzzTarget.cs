namespace HyperNest.Fuzz;

/// <summary>
/// One fuzz target: real HyperNest code driven by bytes the fuzzer controls, as a guest, an image file or a peer
/// would feed it. <see cref="Run"/> returns when the code under test behaved; it throws when an invariant broke
/// (<see cref="InvariantViolation"/>) or when an exception the code must not raise escaped it. Runs are independent:
/// nothing carries from one input to the next.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name fuzz/run and the corpus folder use (fuzz/corpus/&lt;name&gt;).</summary>
    string Name { get; }

    /// <summary>One line: what the input is and which invariants are checked.</summary>
    string Description { get; }

    void Run(ReadOnlySpan<byte> input);
}
