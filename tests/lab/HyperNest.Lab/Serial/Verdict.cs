namespace HyperNest.Lab.Serial;

/// <summary>A scenario's outcome as one line on the serial console: "&lt;marker&gt; PASS" or "&lt;marker&gt; FAIL &lt;reason&gt;".</summary>
public sealed record Verdict(bool Passed, string Reason);
