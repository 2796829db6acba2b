namespace HyperNest.PowerShell.Help;

/// <summary>One example: the command line(s) from its &lt;code&gt; and the paragraphs that say what it does.</summary>
public sealed record ExampleHelp(string Code, IReadOnlyList<string> Remarks);
