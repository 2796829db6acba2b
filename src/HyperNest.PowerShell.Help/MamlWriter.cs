using System.Xml.Linq;

namespace HyperNest.PowerShell.Help;

/// <summary>
/// Writes cmdlet help as MAML, the XML PowerShell's Get-Help reads for a binary module from
/// <c>&lt;assembly&gt;.dll-Help.xml</c>: per command its details (name, verb, noun, synopsis), description, one
/// syntax item per parameter set, the parameters, input and output types, and the examples.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandHelp> commands) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp command) => new(Command + "command",
        new XElement(Command + "details",
            new XElement(Command + "name", command.Name),
            new XElement(Command + "verb", command.Verb),
            new XElement(Command + "noun", command.Noun),
            Description(Maml + "description", [command.Synopsis])),
        Description(Maml + "description", command.Description),
        new XElement(Command + "syntax", command.ParameterSets.Select(set => SyntaxItem(command, set))),
        new XElement(Command + "parameters", command.Parameters.Select(p => ParameterElement(p, p.In(FirstSetOf(command, p)), p.Description))),
        new XElement(Command + "inputTypes", Types(Command + "inputType", command.InputTypes)),
        new XElement(Command + "returnValues", Types(Command + "returnValue", command.OutputTypes)),
        new XElement(Command + "examples", command.Examples.Select((example, i) => new XElement(Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(Dev + "code", example.Code),
            // An empty paragraph last: Get-Help then leaves a blank line before the next example.
            Description(Dev + "remarks", [.. example.Remarks, string.Empty])))));

    /// <summary>
    /// One parameter set as Get-Help prints it: positional parameters by position, then the mandatory named ones,
    /// then the rest (WhatIf and Confirm last, as PowerShell orders them).
    /// </summary>
    private static XElement SyntaxItem(CommandHelp command, string set) => new(Command + "syntaxItem",
        new XElement(Maml + "name", command.Name),
        command.Parameters
            .Select(p => (Parameter: p, Binding: p.In(set)))
            .Where(x => x.Binding is not null)
            .OrderBy(x => x.Binding!.Position ?? int.MaxValue)
            .ThenBy(x => x.Binding!.Mandatory ? 0 : 1)
            .ThenBy(x => x.Parameter.Name is "WhatIf" or "Confirm" ? 1 : 0)
            .Select(x => ParameterElement(x.Parameter, x.Binding, description: null)));

    /// <summary>The set whose binding the parameters section shows: the default set when the parameter is in it.</summary>
    private static string FirstSetOf(CommandHelp command, ParameterHelp parameter) =>
        command.ParameterSets.FirstOrDefault(s => parameter.In(s) is not null) ?? ParameterBinding.AllSets;

    private static XElement ParameterElement(ParameterHelp parameter, ParameterBinding? binding, IReadOnlyList<string>? description)
    {
        bool mandatory = binding?.Mandatory ?? false;
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Bool(mandatory)),
            new XAttribute("variableLength", Bool(parameter.TypeName.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Bool(parameter.Globbing)),
            new XAttribute("pipelineInput", binding?.PipelineInput ?? "False"),
            new XAttribute("position", binding?.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name));
        if (description is not null)
        {
            element.Add(Description(Maml + "description", description));
        }

        if (parameter.PossibleValues.Count > 0)
        {
            element.Add(new XElement(Command + "parameterValueGroup", parameter.PossibleValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }

        // A switch has no value to show in the syntax ("[-Force]"), only in the parameters section.
        if (!parameter.IsSwitch || description is not null)
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", Bool(!parameter.IsSwitch)), new XAttribute("variableLength", "false"), parameter.TypeName));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.FullTypeName)),
            new XElement(Dev + "defaultValue", parameter.IsSwitch ? "False" : "None"));
        return element;
    }

    private static IEnumerable<XElement> Types(XName name, IReadOnlyList<string> types) =>
        (types.Count > 0 ? types : ["None"]).Select(type => new XElement(name,
            new XElement(Dev + "type", new XElement(Maml + "name", type)),
            new XElement(Maml + "description")));

    private static XElement Description(XName name, IEnumerable<string> paragraphs) =>
        new(name, paragraphs.Select(p => new XElement(Maml + "para", p)));

    private static string Bool(bool value) => value ? "true" : "false";
}
