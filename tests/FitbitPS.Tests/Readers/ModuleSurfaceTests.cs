using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace FitbitPS.Tests.Readers;

/// <summary>The manifest, the cmdlet sources and the table views stay in sync with the records.</summary>
public class ModuleSurfaceTests
{
    private static string Repo([System.Runtime.CompilerServices.CallerFilePath] string here = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [Fact]
    public void Every_reader_in_the_manifest_has_a_sealed_cmdlet_whose_output_types_are_records()
    {
        var manifest = File.ReadAllText(Path.Combine(Repo(), "FitbitPS.psd1"));
        var readers = Regex.Matches(manifest, @"'(Get-Fitbit\w+)'").Select(m => m.Groups[1].Value).Where(n => n != "Get-FitbitContext").ToList();
        Assert.Equal(12, readers.Count);
        using var module = new FitbitPS.Tests.Module.BuiltModule();
        var cmdlets = module.CmdletTypes().ToDictionary(c => c.Name, c => c.Type);
        foreach (var name in readers)
        {
            Assert.True(cmdlets.TryGetValue(name, out var type), $"{name}: no cmdlet class in FitbitPS.dll");
            Assert.True(type!.IsSealed, $"{name}: {type.Name} is not sealed");
            // [OutputType] names engine types as strings (the engine loads after PowerShell reads the attributes):
            // each name must be a record the engine really has, or Get-Command -ParameterType and tab completion lie.
            var outputs = type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments).SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { arg.Value })
                .Select(v => v is Type t ? t.FullName : (string?)v).ToList();
            Assert.True(outputs.Count > 0, $"{name}: no [OutputType]");
            foreach (var output in outputs)
                Assert.True(module.Engine.GetType(output!) is { IsPublic: true, Namespace: "FitbitPS.Engine.Records" } || output == "System.Management.Automation.PSObject",
                    $"{name}: [OutputType] '{output}' is not a public record type of the engine");
        }
    }

    [Fact]
    public void Every_record_has_a_table_view_and_flat_csv_friendly_properties()
    {
        var views = XDocument.Load(Path.Combine(Repo(), "src", "FitbitPS", "FitbitPS.format.ps1xml"))
            .Descendants("TypeName").Select(e => e.Value).ToHashSet();
        var records = typeof(FitbitPS.Engine.Records.BodyWeight).Assembly.GetTypes()
            .Where(t => t.Namespace == "FitbitPS.Engine.Records" && t.IsClass && t.IsSealed && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) != null)
            .ToList();
        Assert.True(records.Count >= 15);
        var allowed = new[] { typeof(string), typeof(DateTime), typeof(DateTimeOffset), typeof(bool), typeof(int), typeof(long), typeof(double) };
        foreach (var record in records)
        {
            Assert.Contains(record.FullName!, views);
            foreach (var p in record.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                Assert.True(allowed.Contains(type), $"{record.Name}.{p.Name} is {p.PropertyType.Name}: Export-Csv would print a type name");
            }
        }
    }
}
