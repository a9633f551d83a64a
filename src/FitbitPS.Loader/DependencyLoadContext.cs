using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace FitbitPS.Loader;

/// <summary>
/// FitbitPS's own load context: the engine and every third-party assembly it uses (Newtonsoft.Json, MSAL and
/// its extensions, Google.Apis) load from the module's Dependencies folder here, whatever versions other modules
/// (Az, Microsoft.Graph) or PowerShell itself put in the default context. What the running .NET provides (System.*,
/// netstandard) is left to the default context, so there is one copy of the framework's types. Native libraries
/// resolve from Dependencies/runtimes/&lt;rid&gt;/native.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly string[] s_runtimeIds = RuntimeIds().ToArray(); // this machine's, most specific first
    private readonly string _folder;
    private readonly HashSet<string> _framework;

    public DependencyLoadContext(string folder) : base("FitbitPS", isCollectible: false)
    {
        _folder = folder;
        _framework = FrameworkAssemblies();
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name == null || _framework.Contains(name.Name)) return null; // the runtime's own copy
        foreach (var path in Candidates(name.Name + ".dll", managed: true))
            if (File.Exists(path)) return LoadFromAssemblyPath(path);
        return null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var file in NativeFileNames(unmanagedDllName))
            foreach (var path in Candidates(file, managed: false))
                if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
        return IntPtr.Zero;
    }

    /// <summary>Where a file may be: the runtime-specific folders of this machine first (runtimes/linux-x64/native,
    /// runtimes/unix/lib/…), then Dependencies itself.</summary>
    private IEnumerable<string> Candidates(string file, bool managed)
    {
        foreach (var rid in s_runtimeIds)
        {
            var root = Path.Combine(_folder, "runtimes", rid);
            if (managed)
            {
                var lib = Path.Combine(root, "lib");
                if (Directory.Exists(lib))
                    foreach (var tfm in Directory.GetDirectories(lib))
                        yield return Path.Combine(tfm, file);
            }
            else yield return Path.Combine(root, "native", file);
        }
        yield return Path.Combine(_folder, file);
    }

    private static IEnumerable<string> RuntimeIds()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        if (os == "linux" && IsMusl()) yield return "linux-musl-" + arch; // Alpine: glibc's build would not load
        yield return os + "-" + arch;
        yield return os;
        if (!OperatingSystem.IsWindows()) yield return "unix";
    }

    /// <summary>A musl libc (Alpine): the runtime's own RID says so (linux-musl-x64, or alpine.3.20-x64 of a distro
    /// build), or the process has no glibc (whose gnu_get_libc_version every glibc process can see). Not the presence
    /// of /lib/ld-musl-*: Debian's musl package puts it beside glibc.</summary>
    private static bool IsMusl()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        if (rid.Contains("musl", StringComparison.OrdinalIgnoreCase) || rid.StartsWith("alpine", StringComparison.OrdinalIgnoreCase)) return true;
        return !NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "gnu_get_libc_version", out _);
    }

    private static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (Path.HasExtension(name)) yield break;
        if (OperatingSystem.IsWindows()) yield return name + ".dll";
        else if (OperatingSystem.IsMacOS()) { yield return "lib" + name + ".dylib"; yield return name + ".dylib"; }
        else { yield return "lib" + name + ".so"; yield return name + ".so"; }
    }

    /// <summary>
    /// The assemblies left to the default context: the running .NET's own (its runtime folder), and the shims of
    /// .NET types a netstandard2.0 build carries (System.*, Microsoft.Bcl.*) wherever the default context has a
    /// copy (PowerShell's folder): theirs forward to the real types, ours would define them a second time.
    /// Everything else FitbitPS brings (Newtonsoft.Json, MSAL, Google.Apis) is loaded here even where PowerShell or
    /// another module has a copy of its own: that is the point.
    /// </summary>
    private static HashSet<string> FrameworkAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var runtime = Path.GetFullPath(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                bool shim = name.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Microsoft.Bcl.", StringComparison.OrdinalIgnoreCase)
                            || name.Equals("netstandard", StringComparison.OrdinalIgnoreCase) || name.Equals("mscorlib", StringComparison.OrdinalIgnoreCase);
                if (shim || Path.GetFullPath(path).StartsWith(runtime, StringComparison.OrdinalIgnoreCase)) names.Add(name);
            }
        return names;
    }
}
