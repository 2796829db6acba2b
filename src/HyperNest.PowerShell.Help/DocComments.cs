using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HyperNest.PowerShell.Help;

/// <summary>
/// The compiler's XML documentation file (GenerateDocumentationFile), read by member id: <c>T:Namespace.Type</c>,
/// <c>P:Namespace.Type.Property</c>. Tags become plain text: &lt;see cref&gt; the member's short name,
/// &lt;see langword&gt; the word, &lt;paramref&gt;/&lt;typeparamref&gt; the name, &lt;c&gt; its text.
/// </summary>
public sealed partial class DocComments
{
    private readonly Dictionary<string, XElement> _members;

    private DocComments(Dictionary<string, XElement> members) => _members = members;

    public static DocComments Load(string path)
    {
        XDocument document = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (XElement member in document.Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name)
            {
                members[name] = member;
            }
        }

        return new DocComments(members);
    }

    public DocComment Of(string memberId)
    {
        if (!_members.TryGetValue(memberId, out XElement? member))
        {
            return DocComment.None;
        }

        string summary = string.Join(' ', Paragraphs(member.Element("summary")));
        IReadOnlyList<string> remarks = Paragraphs(member.Element("remarks"));
        ExampleHelp[] examples = [.. member.Elements("example").Select(Example)];
        return new DocComment(summary, remarks, examples);
    }

    private static ExampleHelp Example(XElement example)
    {
        string code = example.Element("code") is { } element ? CodeText(element.Value) : string.Empty;
        var rest = new XElement("example", example.Nodes().Where(n => n is not XElement { Name.LocalName: "code" }));
        return new ExampleHelp(code, Paragraphs(rest));
    }

    /// <summary>
    /// The paragraphs of an element: each &lt;para&gt; is one, and so is the text between them; whitespace is
    /// collapsed as the comment's line breaks are only layout.
    /// </summary>
    private static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        if (element is null)
        {
            return [];
        }

        var paragraphs = new List<string>();
        var loose = new StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para)
            {
                Add(paragraphs, loose.ToString());
                loose.Clear();
                Add(paragraphs, Text(para));
            }
            else
            {
                loose.Append(Text(node));
            }
        }

        Add(paragraphs, loose.ToString());
        return paragraphs;
    }

    private static void Add(List<string> paragraphs, string text)
    {
        string collapsed = Whitespace().Replace(text, " ").Trim();
        if (collapsed.Length > 0)
        {
            paragraphs.Add(collapsed);
        }
    }

    private static string Text(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see =>
            see.Attribute("langword")?.Value ?? ShortName(see.Attribute("cref")?.Value) ?? see.Value,
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? string.Empty,
        XElement element => string.Concat(element.Nodes().Select(Text)),
        _ => string.Empty,
    };

    /// <summary>"T:HyperNest.PowerShell.Objects.VirtualMachine" → "VirtualMachine"; "M:A.B.C(System.String)" → "C".</summary>
    private static string? ShortName(string? cref)
    {
        if (cref is null)
        {
            return null;
        }

        string name = cref.Split('(')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    /// <summary>A &lt;code&gt; block's lines without the comment's indentation and without blank first or last lines.</summary>
    private static string CodeText(string code)
    {
        string[] lines = code.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        int last = Array.FindLastIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
        {
            return string.Empty;
        }

        string[] kept = lines[first..(last + 1)];
        int indent = kept.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', kept.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
