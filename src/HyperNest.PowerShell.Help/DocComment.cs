namespace HyperNest.PowerShell.Help;

/// <summary>
/// A member's XML doc comment as help uses it: &lt;summary&gt; (one paragraph, the synopsis or a parameter's
/// description), &lt;remarks&gt; as paragraphs, &lt;example&gt;s. Empty when the member has no comment.
/// </summary>
public sealed record DocComment(string Summary, IReadOnlyList<string> Remarks, IReadOnlyList<ExampleHelp> Examples)
{
    public static readonly DocComment None = new(string.Empty, [], []);
}
