using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace FitbitPS.Tests.Module;

/// <summary>
/// Get-Help reads out/FitbitPS/en-US/FitbitPS.dll-Help.xml, written on every build from the cmdlets'
/// doc comments. Without it Get-Help shows only syntax: every exported cmdlet must have real help.
/// </summary>
public sealed class HelpFileTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly string RepoRoot = BuiltModule.RepoRoot;
    private static readonly string ModuleFolder = BuiltModule.Folder;

    [Fact]
    public void Help_file_is_maml_with_one_command_per_exported_cmdlet()
    {
        var help = LoadHelp();
        Assert.Equal(XName.Get("helpItems", "http://msh"), help.Root!.Name);
        Assert.Equal("maml", (string?)help.Root.Attribute("schema"));
        var names = Commands(help).Select(c => CommandName(c)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(ExportedCmdlets().OrderBy(n => n, StringComparer.Ordinal).ToList(), names);
    }

    [Fact]
    public void Every_exported_cmdlet_has_synopsis_description_and_an_example()
    {
        var commands = Commands(LoadHelp()).ToDictionary(CommandName);
        foreach (var cmdlet in ExportedCmdlets())
        {
            Assert.True(commands.TryGetValue(cmdlet, out var command), $"{cmdlet}: no command:command entry");
            var synopsis = Text(command!.Element(Command + "details")?.Element(Maml + "description"));
            Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{cmdlet}: empty synopsis");
            Assert.False(string.IsNullOrWhiteSpace(Text(command.Element(Maml + "description"))), $"{cmdlet}: empty description");
            var examples = command.Element(Command + "examples")?.Elements(Command + "example").ToList() ?? new();
            Assert.True(examples.Count >= 1, $"{cmdlet}: no example");
            foreach (var example in examples)
            {
                Assert.Contains(cmdlet, example.Element(Dev + "code")?.Value ?? "");
                Assert.False(string.IsNullOrWhiteSpace(Text(example.Element(Dev + "remarks"))), $"{cmdlet}: an example without an explanation");
            }
            Assert.NotEmpty(command.Element(Command + "syntax")?.Elements(Command + "syntaxItem") ?? Enumerable.Empty<XElement>());
        }
    }

    [Fact]
    public void Every_public_parameter_of_every_cmdlet_class_is_described()
    {
        var commands = Commands(LoadHelp()).ToDictionary(CommandName);
        var cmdletTypes = CmdletParameters();
        Assert.Equal(ExportedCmdlets().Count, cmdletTypes.Count);
        foreach (var (cmdlet, parameters) in cmdletTypes)
        {
            Assert.True(commands.TryGetValue(cmdlet, out var command), $"{cmdlet}: no command:command entry");
            var described = command!.Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value, p => p);
            foreach (var (name, mandatory) in parameters)
            {
                Assert.True(described.TryGetValue(name, out var entry), $"{cmdlet}: -{name} is missing from the help");
                Assert.False(string.IsNullOrWhiteSpace(Text(entry!.Element(Maml + "description"))), $"{cmdlet}: -{name} has no description");
                Assert.Equal(mandatory ? "true" : "false", (string?)entry.Attribute("required"));
            }
        }
    }

    [Fact]
    public void Connect_Fitbit_help_has_both_parameter_sets_and_the_switches_without_a_value()
    {
        var connect = Commands(LoadHelp()).Single(c => CommandName(c) == "Connect-Fitbit");
        var sets = connect.Element(Command + "syntax")!.Elements(Command + "syntaxItem")
            .Select(s => s.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToList()).ToList();
        Assert.Contains(sets, s => s.Contains("ClientSecretFile") && !s.Contains("ClientId"));
        Assert.Contains(sets, s => s.Contains("ClientId") && s.Contains("ClientSecret") && !s.Contains("ClientSecretFile"));
        var noBrowser = connect.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "NoBrowser");
        Assert.Null(noBrowser.Element(Command + "parameterValue"));
        Assert.Equal("System.Management.Automation.SwitchParameter", noBrowser.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        var redirect = connect.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "RedirectUrl");
        Assert.StartsWith("True", (string?)redirect.Attribute("pipelineInput"));
    }

    private static XDocument LoadHelp()
    {
        var path = Path.Combine(ModuleFolder, "en-US", "FitbitPS.dll-Help.xml");
        Assert.True(File.Exists(path), $"{path} is missing: dotnet build FitbitPS.sln writes it (GenerateHelp in src/FitbitPS/FitbitPS.csproj).");
        return XDocument.Load(path);
    }

    private static IEnumerable<XElement> Commands(XDocument help) => help.Root!.Elements(Command + "command");

    private static string CommandName(XElement command) => command.Element(Command + "details")!.Element(Command + "name")!.Value;

    private static string Text(XElement? element) => element == null ? "" : string.Join(" ", element.Descendants(Maml + "para").Select(p => p.Value)).Trim();

    private static List<string> ExportedCmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(RepoRoot, "FitbitPS.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var names = Regex.Matches(block, @"'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(names);
        return names;
    }

    /// <summary>The cmdlet classes' bindable properties, read from the built assembly (not from the help generator).</summary>
    private static Dictionary<string, List<(string Name, bool Mandatory)>> CmdletParameters()
    {
        using var module = new BuiltModule();
        return module.CmdletTypes().ToDictionary(c => c.Name, c => c.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p.Name, Attrs: p.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList()))
            .Where(p => p.Attrs.Count > 0)
            .Select(p => (p.Name, p.Attrs.All(a => a.NamedArguments.Any(n => n.MemberName == "Mandatory" && (bool)n.TypedValue.Value!))))
            .ToList());
    }
}
