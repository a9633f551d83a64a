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
    public void Every_reader_in_the_manifest_has_a_sealed_cmdlet_with_an_output_type()
    {
        var manifest = File.ReadAllText(Path.Combine(Repo(), "FitbitPS.psd1"));
        var readers = Regex.Matches(manifest, @"'(Get-Fitbit\w+)'").Select(m => m.Groups[1].Value).Where(n => n != "Get-FitbitContext").ToList();
        Assert.Equal(12, readers.Count);
        foreach (var name in readers)
        {
            var noun = name.Substring("Get-".Length);
            var file = Path.Combine(Repo(), "src", "FitbitPS", "Cmdlets", $"Get{noun}Command.cs");
            Assert.True(File.Exists(file), $"{name}: {file} is missing");
            var source = File.ReadAllText(file);
            Assert.Contains($"[Cmdlet(VerbsCommon.Get, \"{noun}\"", source);
            Assert.Contains($"public sealed class Get{noun}Command", source);
            Assert.Contains("[OutputType(typeof(", source);
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
