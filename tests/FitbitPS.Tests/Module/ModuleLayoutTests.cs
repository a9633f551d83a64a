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

    /// <summary>The store's native SQLite: the RIDs src/FitbitPS/FitbitPS.csproj ships it for (SqliteNativeRuntimeIds),
    /// each file with the name SQLitePCLRaw's DllImport("e_sqlite3") becomes on that OS, and what it is built for.</summary>
    public static TheoryData<string, string, string> NativeSqlite => new()
    {
        { "win-x64", "e_sqlite3.dll", "PE x64" }, { "win-arm64", "e_sqlite3.dll", "PE arm64" }, { "win-x86", "e_sqlite3.dll", "PE x86" },
        { "osx-x64", "libe_sqlite3.dylib", "Mach-O x64" }, { "osx-arm64", "libe_sqlite3.dylib", "Mach-O arm64" },
        { "linux-x64", "libe_sqlite3.so", "ELF x64 glibc" }, { "linux-arm64", "libe_sqlite3.so", "ELF arm64 glibc" },
        { "linux-musl-x64", "libe_sqlite3.so", "ELF x64 musl" }, { "linux-musl-arm64", "libe_sqlite3.so", "ELF arm64 musl" },
    };

    [Theory, MemberData(nameof(NativeSqlite))]
    public void The_native_SQLite_library_is_in_Dependencies_runtimes_rid_native(string rid, string file, string builtFor)
    {
        // Where DependencyLoadContext.LoadUnmanagedDll (PowerShell 7) and the Desktop preload (5.1) look for it.
        var native = Path.Combine(Dependencies, "runtimes", rid, "native");
        Assert.True(Directory.Exists(native), $"{native} is missing");
        Assert.Equal(new[] { file }, Directory.EnumerateFileSystemEntries(native).Select(Path.GetFileName));
        Assert.Equal(builtFor, NativeKind(Path.Combine(native, file)));
    }

    [Fact]
    public void No_other_runtime_folder_is_in_the_module()
    {
        var expected = NativeSqlite.Select(row => (string)row[0]).OrderBy(r => r, StringComparer.Ordinal);
        var shipped = Directory.EnumerateDirectories(Path.Combine(Dependencies, "runtimes")).Select(Path.GetFileName).OrderBy(r => r, StringComparer.Ordinal);
        Assert.Equal(expected, shipped);
    }

    /// <summary>"PE x64", "Mach-O arm64", "ELF x64 musl"…: the file's format and machine from its header, and for ELF
    /// the C library (glibc's builds carry GLIBC_ symbol versions, musl's none).</summary>
    private static string NativeKind(string path)
    {
        var bytes = File.ReadAllBytes(path);
        string Machine(int code, params (int Code, string Name)[] names) => names.FirstOrDefault(n => n.Code == code).Name ?? $"0x{code:x}";
        if (bytes[0] == 'M' && bytes[1] == 'Z')
        {
            var pe = BitConverter.ToInt32(bytes, 0x3C);
            return "PE " + Machine(BitConverter.ToUInt16(bytes, pe + 4), (0x8664, "x64"), (0xAA64, "arm64"), (0x14C, "x86"));
        }
        if (BitConverter.ToUInt32(bytes, 0) == 0xFEEDFACF)
            return "Mach-O " + Machine(BitConverter.ToInt32(bytes, 4), (0x01000007, "x64"), (0x0100000C, "arm64"));
        if (bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F')
        {
            var libc = System.Text.Encoding.ASCII.GetString(bytes).Contains("GLIBC_", StringComparison.Ordinal) ? "glibc" : "musl";
            return $"ELF {Machine(BitConverter.ToUInt16(bytes, 18), (62, "x64"), (183, "arm64"))} {libc}";
        }
        return "unknown";
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
