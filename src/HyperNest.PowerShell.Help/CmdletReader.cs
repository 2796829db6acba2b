using System.Collections.ObjectModel;
using System.Reflection;

namespace HyperNest.PowerShell.Help;

/// <summary>
/// Reads a binary module's cmdlets from its metadata (MetadataLoadContext: nothing of the module runs, and no
/// PowerShell runtime is needed): every public type with [Cmdlet], its [OutputType]s, and every public property with
/// [Parameter] (base classes' included), with [Alias], [SupportsWildcards] and [ValidateSet]. The doc comments give
/// the words. A cmdlet with SupportsShouldProcess also gets -WhatIf and -Confirm, as PowerShell adds them.
/// </summary>
public static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    /// <summary>
    /// The cmdlets of <paramref name="modulePath"/>, sorted by name; <paramref name="references"/> are the assemblies
    /// it was compiled against (the framework's reference assemblies included), so its attributes can be read.
    /// </summary>
    public static IReadOnlyList<CommandHelp> Read(string modulePath, IEnumerable<string> references, DocComments docs)
    {
        // One assembly per name: the module itself wins over a copy of it among the references.
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in references.Append(modulePath))
        {
            paths[Path.GetFileNameWithoutExtension(path)] = path;
        }

        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values));
        Assembly module = context.LoadFromAssemblyPath(modulePath);
        return [.. module.GetExportedTypes()
            .Where(t => !t.IsAbstract && Attribute(t, "CmdletAttribute") is not null)
            .Select(t => Command(t, docs))
            .OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    private static CommandHelp Command(Type type, DocComments docs)
    {
        CustomAttributeData cmdlet = Attribute(type, "CmdletAttribute")!;
        string verb = (string)cmdlet.ConstructorArguments[0].Value!;
        string noun = (string)cmdlet.ConstructorArguments[1].Value!;
        string? defaultSet = Named<string>(cmdlet, "DefaultParameterSetName");

        List<ParameterHelp> parameters = [.. Parameters(type, docs)];
        if (Named<bool>(cmdlet, "SupportsShouldProcess"))
        {
            parameters.Add(ShouldProcessParameter("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."));
            parameters.Add(ShouldProcessParameter("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."));
        }

        DocComment doc = docs.Of("T:" + DocId(type));
        return new CommandHelp(verb, noun, doc.Summary, doc.Remarks, parameters, Sets(parameters, defaultSet), OutputTypes(type), doc.Examples);
    }

    /// <summary>The named parameter sets, the default first; one unnamed set when the cmdlet has none.</summary>
    private static IReadOnlyList<string> Sets(IReadOnlyList<ParameterHelp> parameters, string? defaultSet)
    {
        List<string> named = [.. parameters.SelectMany(p => p.Sets).Select(s => s.Set).Where(s => s != ParameterBinding.AllSets).Distinct()];
        if (named.Count == 0)
        {
            return [ParameterBinding.AllSets];
        }

        return [.. named.OrderBy(s => s == defaultSet ? 0 : 1)];
    }

    /// <summary>Every [Parameter] property but hidden ones (DontShow), alphabetically (as Hyper-V's help lists them); a hidden base property gives way.</summary>
    private static IEnumerable<ParameterHelp> Parameters(Type type, DocComments docs) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Attributes(p, "ParameterAttribute").Any(a => !Named<bool>(a, "DontShow")))
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.MaxBy(p => Depth(p.DeclaringType!))!)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => Parameter(p, docs));

    private static int Depth(Type type)
    {
        int depth = 0;
        for (Type? t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static ParameterHelp Parameter(PropertyInfo property, DocComments docs)
    {
        ParameterBinding[] sets = [.. Attributes(property, "ParameterAttribute").Select(a => new ParameterBinding(
            Named<string>(a, "ParameterSetName") ?? ParameterBinding.AllSets,
            Named<bool>(a, "Mandatory"),
            Named<int?>(a, "Position") is { } position and >= 0 ? position : null,
            Named<bool>(a, "ValueFromPipeline"),
            Named<bool>(a, "ValueFromPipelineByPropertyName")))];
        Type valueType = Nullable(property.PropertyType);
        DocComment doc = docs.Of($"P:{DocId(property.DeclaringType!)}.{property.Name}");
        return new ParameterHelp(
            property.Name,
            valueType.Name,
            valueType.FullName ?? valueType.Name,
            [.. Attributes(property, "AliasAttribute").SelectMany(Strings)],
            Attribute(property, "SupportsWildcardsAttribute") is not null,
            sets,
            [.. Attributes(property, "ValidateSetAttribute").SelectMany(Strings)],
            doc.Summary.Length > 0 ? [doc.Summary, .. doc.Remarks] : doc.Remarks);
    }

    private static ParameterHelp ShouldProcessParameter(string name, string alias, string description) =>
        new(name, "SwitchParameter", Sma + "SwitchParameter", [alias], false, [new ParameterBinding(ParameterBinding.AllSets, false, null, false, false)], [], [description]);

    private static IReadOnlyList<string> OutputTypes(Type type) =>
        [.. Attributes(type, "OutputTypeAttribute").SelectMany(a => a.ConstructorArguments).SelectMany(Values)
            .Select(v => v.Value switch { Type t => t.FullName ?? t.Name, string s => s, _ => null })
            .OfType<string>().Distinct()];

    /// <summary>An attribute's string arguments, whether passed one by one or as a params array.</summary>
    private static IEnumerable<string> Strings(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.SelectMany(Values).Select(v => v.Value).OfType<string>();

    private static IEnumerable<CustomAttributeTypedArgument> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> array ? array : [argument];

    private static Type Nullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    private static string DocId(Type type) => type.FullName!.Replace('+', '.');

    private static CustomAttributeData? Attribute(MemberInfo member, string name) => Attributes(member, name).FirstOrDefault();

    private static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.MemberName == name) is { MemberInfo: not null } argument ? (T?)argument.TypedValue.Value : default;
}
