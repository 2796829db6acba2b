using System.Management.Automation;

namespace HyperNest.PowerShell.Completion;

/// <summary>
/// What the completers share: the names that begin with what was typed (ignoring case, quotes around it dropped),
/// sorted, each quoted when PowerShell would not read it as one bare word ("Network Adapter" becomes
/// <c>'Network Adapter'</c>, a quote inside doubled).
/// </summary>
public static class CompletionNames
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string wordToComplete)
    {
        string typed = wordToComplete.Trim('\'', '"');
        var pattern = WildcardPattern.Get(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
        return names
            .Where(pattern.IsMatch)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name));
    }

    /// <summary>The name as a command-line word: bare when PowerShell reads it back as one, else single-quoted.</summary>
    public static string Quote(string name) =>
        name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+' or '/' or '\\') && name[0] != '-'
            ? name
            : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Names read by <paramref name="read"/>; none when the store cannot be read (tab completion never fails loudly).</summary>
    public static IEnumerable<string> Read(Func<IEnumerable<string>> read)
    {
        try
        {
            return [.. read()];
        }
        catch (Exception ex) when (ErrorRecords.IsExpected(ex))
        {
            return [];
        }
    }
}
