using System.Management.Automation;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// How a -Name (or -VMName) finds things: literally first, then as a wildcard. A name New-VM accepted, such as
/// "web[1]", is reached by that same name even though it reads as a wildcard ("[1]" would match "web1" only);
/// without a literal match the wildcard applies, ignoring case, as Hyper-V's cmdlets do.
/// </summary>
public static class NameMatch
{
    /// <summary>The items named <paramref name="name"/> literally (ignoring case), else those its wildcard matches.</summary>
    public static IReadOnlyList<T> Find<T>(string name, IEnumerable<T> items, Func<T, string> nameOf)
    {
        IReadOnlyList<T> all = items as IReadOnlyList<T> ?? [.. items];
        List<T> literal = [.. all.Where(i => string.Equals(nameOf(i), name, StringComparison.OrdinalIgnoreCase))];
        if (literal.Count > 0 || !WildcardPattern.ContainsWildcardCharacters(name))
        {
            return literal;
        }

        var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
        return [.. all.Where(i => pattern.IsMatch(nameOf(i)))];
    }
}
