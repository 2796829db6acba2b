using HyperNest.PowerShell.Help;

// HyperNest.PowerShell.Help MODULE.dll DOC.xml REFERENCES.txt OUT-Help.xml
// Writes the module's MAML help from its cmdlets' attributes and doc comments. REFERENCES.txt lists the assemblies
// the module was compiled against, one path a line. A cmdlet whose help is incomplete is a build warning (the
// PowerShell tests fail on it); the file is written all the same.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: HyperNest.PowerShell.Help MODULE.dll DOC.xml REFERENCES.txt OUT-Help.xml");
    return 2;
}

string[] references = [.. File.ReadAllLines(args[2]).Where(l => l.Trim().Length > 0)];
IReadOnlyList<CommandHelp> commands = CmdletReader.Read(args[0], references, DocComments.Load(args[1]));
foreach (CommandHelp command in commands)
{
    foreach (string gap in command.Gaps())
    {
        // MSBuild's canonical form, so the build lists it as a warning.
        Console.WriteLine($"HyperNest.PowerShell.Help : warning HNHELP1: {command.Name}: {gap}");
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[3]))!);
MamlWriter.Write(commands).Save(args[3]);
Console.WriteLine($"HyperNest.PowerShell.Help: {commands.Count} cmdlets -> {args[3]}");
return 0;
