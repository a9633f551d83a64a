using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

// Usage: FitbitPS.HelpGen <FitbitPS.dll> <FitbitPS.xml (doc comments)> <output dll-Help.xml> [extra assembly folder...]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: FitbitPS.HelpGen <cmdlet assembly> <xml doc file> <output MAML file> [assembly folder...]");
    return 2;
}
try
{
    var assemblyPath = Path.GetFullPath(args[0]);
    var folders = new List<string> { Path.GetDirectoryName(assemblyPath)!, RuntimeEnvironment.GetRuntimeDirectory() };
    folders.AddRange(args.Skip(3));
    var doc = XDocument.Load(args[1]);
    // Output types live in the engine: its doc file (beside the cmdlet assembly) describes them.
    foreach (var sibling in Directory.EnumerateFiles(Path.GetDirectoryName(assemblyPath)!, "FitbitPS*.xml"))
        if (!Path.GetFullPath(sibling).Equals(Path.GetFullPath(args[1]), StringComparison.Ordinal))
            doc.Root!.Element("members")?.Add(XDocument.Load(sibling).Root!.Element("members")?.Elements());
    var maml = FitbitPS.HelpGen.MamlWriter.Generate(assemblyPath, folders, doc);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2]))!);
    maml.Save(args[2]);
    Console.WriteLine($"FitbitPS.HelpGen: wrote {args[2]}");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"FitbitPS.HelpGen: error: {e.Message}");
    return 1;
}
