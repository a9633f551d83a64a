using System.Reflection;
using System.Runtime.InteropServices;

namespace FitbitPS.Tests.Module;

/// <summary>
/// The laid-out module (out/FitbitPS) read as metadata: what PowerShell sees when it imports it, without loading
/// the cmdlet assembly into the test process (its engine lives in Dependencies/, its SMA is PowerShellStandard's).
/// </summary>
internal sealed class BuiltModule : IDisposable
{
    public static readonly string RepoRoot = FindRepoRoot();
    public static readonly string Folder = Path.Combine(RepoRoot, "out", "FitbitPS");

    private readonly MetadataLoadContext _context;

    public BuiltModule()
    {
        var sma = Directory.EnumerateFiles(Path.Combine(RepoRoot, "src", "FitbitPS", "bin"), "System.Management.Automation.dll", SearchOption.AllDirectories).FirstOrDefault()
            ?? throw new InvalidOperationException("System.Management.Automation.dll (PowerShellStandard.Library) not found under src/FitbitPS/bin: build first.");
        var files = Directory.EnumerateFiles(Folder, "*.dll", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
            .Append(sma)
            .GroupBy(Path.GetFileName).Select(g => g.First());
        _context = new MetadataLoadContext(new PathAssemblyResolver(files));
        Cmdlets = _context.LoadFromAssemblyPath(Path.Combine(Folder, "FitbitPS.dll"));
        Engine = _context.LoadFromAssemblyPath(Path.Combine(Folder, "Dependencies", "FitbitPS.Engine.dll"));
    }

    /// <summary>FitbitPS.dll, the cmdlet assembly.</summary>
    public Assembly Cmdlets { get; }

    /// <summary>FitbitPS.Engine.dll from Dependencies/.</summary>
    public Assembly Engine { get; }

    /// <summary>Every non-abstract cmdlet class with its "Verb-Noun" name.</summary>
    public IEnumerable<(string Name, Type Type)> CmdletTypes()
    {
        foreach (var type in Cmdlets.GetExportedTypes().Where(t => !t.IsAbstract))
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
            if (cmdlet != null) yield return ($"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}", type);
        }
    }

    public void Dispose() => _context.Dispose();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FitbitPS.sln"))) return dir.FullName;
        throw new InvalidOperationException("FitbitPS.sln not found above " + AppContext.BaseDirectory);
    }
}
