using System.Text.RegularExpressions;

/// <summary>
/// What HyperNest shows a user (the CLI's output, a pwsh session's output and errors) carries no .NET formatting:
/// every test that runs hnest or pwsh checks what it read with <see cref="AssertClean"/>, so no message in any test's
/// output can hold " (Parameter 'x')", an exception's type name or a stack trace.
/// </summary>
internal static partial class UserFacingText
{
    public static void AssertClean(string text, string what)
    {
        Match artefact = DotNetArtefact().Match(text);
        Assert.False(artefact.Success, $"{what} shows a .NET artefact '{artefact.Value.Trim()}':\n{text}");
    }

    // " (Parameter 'serial')"; a stack frame "   at HyperNest.X.Y(...)"; an exception type as .NET prints one.
    [GeneratedRegex(@"\(Parameter '[^']*'\)|^\s+at (HyperNest|System)\.[\w.`]+\(|\bSystem\.[A-Za-z.]*Exception\b|Actual value was ", RegexOptions.Multiline)]
    private static partial Regex DotNetArtefact();
}
