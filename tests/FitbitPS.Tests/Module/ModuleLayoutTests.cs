using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace FitbitPS.Tests.Module;

/// <summary>
/// The isolation's invariants, read from the laid-out module (out/FitbitPS) the way Microsoft.Graph's build checks
/// its own: the cmdlet assembly references only the engine, System.Management.Automation and netstandard (so
/// PowerShell's default context never has to load a third-party assembly for it); beside the manifest sit only
/// FitbitPS's own assemblies; the engine and every assembly it needs are in Dependencies/ (or are .NET's).
/// </summary>
public sealed class ModuleLayoutTests
{
    private static readonly string ModuleFolder = Path.Combine(FindRepoRoot(), "out", "FitbitPS");
    private static readonly string Dependencies = Path.Combine(ModuleFolder, "Dependencies");

    private static IReadOnlyList<string> References(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).OrderBy(n => n).ToList();
    }

    [Fact]
    public void The_cmdlet_assembly_references_the_engine_SMA_and_netstandard_only()
    {
        Assert.Equal(new[] { "FitbitPS.Engine", "netstandard", "System.Management.Automation" }, References(Path.Combine(ModuleFolder, "FitbitPS.dll")));
    }

    [Fact]
    public void The_engine_does_not_reference_PowerShell()
    {
        // The engine is the whole of FitbitPS but the cmdlets: the bench, the test host and any other front end use it
        // without PowerShell, and only the cmdlet assembly may bind to the SMA of the PowerShell it runs in.
        var engine = References(Path.Combine(Dependencies, "FitbitPS.Engine.dll"));
        Assert.DoesNotContain("System.Management.Automation", engine);
        Assert.DoesNotContain(engine, name => name.StartsWith("Microsoft.PowerShell", StringComparison.Ordinal));
    }

    [Fact]
    public void The_loader_references_nothing_it_would_have_to_isolate()
    {
        Assert.Equal(new[] { "netstandard", "System.Management.Automation" }, References(Path.Combine(ModuleFolder, "FitbitPS.Loader.dll")));
        var isolated = Directory.EnumerateFiles(Dependencies, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var core = References(Path.Combine(ModuleFolder, "FitbitPS.Loader.Core.dll"));
        Assert.All(core, name => Assert.True(name.StartsWith("System.", StringComparison.Ordinal) && !isolated.Contains(name), $"FitbitPS.Loader.Core references {name}"));
    }

    [Fact]
    public void Only_FitbitPS_assemblies_sit_beside_the_manifest()
    {
        var beside = Directory.EnumerateFiles(ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n).ToList();
        Assert.Equal(new[] { "FitbitPS.dll", "FitbitPS.Loader.Core.dll", "FitbitPS.Loader.dll" }, beside);
        Assert.False(Directory.Exists(Path.Combine(ModuleFolder, "runtimes")), "native and runtime-specific files belong under Dependencies/");
    }

    [Fact]
    public void Every_assembly_the_engine_needs_is_in_Dependencies_or_is_dotnets()
    {
        var shipped = Directory.EnumerateFiles(Dependencies, "*.dll").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("FitbitPS.Engine", shipped.Keys);
        foreach (var thirdParty in new[] { "Newtonsoft.Json", "Microsoft.Identity.Client", "Microsoft.Identity.Client.Extensions.Msal", "Google.Apis.Auth", "Google.Apis.Core" })
            Assert.Contains(thirdParty, shipped.Keys);
        // The closure from the engine: each reference is shipped, or is part of .NET (netstandard facade, System.*).
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(new[] { "FitbitPS.Engine" });
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (!seen.Add(name)) continue;
            if (!shipped.TryGetValue(name, out var path))
            {
                Assert.True(name == "netstandard" || name == "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal),
                    $"{name}, needed by the engine, is neither in Dependencies/ nor part of .NET");
                continue;
            }
            foreach (var reference in References(path)) queue.Enqueue(reference);
        }
        Assert.Contains("Newtonsoft.Json", seen);
    }

    [Fact]
    public void The_manifest_imports_the_loader_before_the_cmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(ModuleFolder, "FitbitPS.psd1"));
        Assert.Matches(@"RootModule\s*=\s*'FitbitPS\.dll'", manifest);
        Assert.Matches(@"NestedModules\s*=\s*@\('FitbitPS\.Loader\.dll'\)", manifest);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FitbitPS.sln"))) return dir.FullName;
        throw new InvalidOperationException("FitbitPS.sln not found above " + AppContext.BaseDirectory);
    }
}
