using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace FitbitPS.Loader
{
    /// <summary>
    /// Runs when PowerShell imports the module: the manifest names this assembly as a nested module, and PowerShell
    /// imports nested modules before the root one, so this runs before PowerShell looks at the cmdlet assembly (whose
    /// types need the engine: enum parameters). The engine and its third-party dependencies sit in the module's
    /// Dependencies folder, never beside the cmdlet assembly, so PowerShell cannot load them into its shared
    /// context on its own:
    /// <list type="bullet">
    /// <item>PowerShell 7: FitbitPS.Loader.Core.dll (beside this assembly, ours, no dependencies) installs a private
    /// AssemblyLoadContext for them (see FitbitPS.Loader.Isolation). Az's or Graph's MSAL, Newtonsoft.Json… in the
    /// default context and ours never meet.</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework has one context per AppDomain): an AssemblyResolve handler that
    /// serves a request from Dependencies unless an assembly of that name and at least that version is already
    /// loaded (then that one, as a binding redirect would). True isolation is impossible there; this is the approach
    /// Microsoft.Graph and PSResourceGet take on Desktop. The native SQLite library is loaded by full path at import
    /// (<see cref="PreloadNativeOnDesktop"/>). Untested: no Windows here.</item>
    /// </list>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        internal const string DependenciesFolder = "Dependencies";
        private static readonly object Gate = new object();
        private static bool s_installed;

        private static string ModuleFolder => Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);

        internal static string Dependencies => Path.Combine(ModuleFolder, DependenciesFolder);

        public void OnImport()
        {
            lock (Gate)
            {
                if (s_installed) return;
                if (IsNetFramework)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveOnDesktop;
                    PreloadNativeOnDesktop();
                }
                else InstallLoadContext();
                s_installed = true;
            }
        }

        private static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static void InstallLoadContext()
        {
            var loader = Assembly.LoadFrom(Path.Combine(ModuleFolder, "FitbitPS.Loader.Core.dll"));
            loader.GetType("FitbitPS.Loader.Isolation", throwOnError: true)
                  .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)
                  .Invoke(null, new object[] { Dependencies });
        }

        /// <summary>
        /// Windows PowerShell 5.1: SQLitePCLRaw's <c>[DllImport("e_sqlite3")]</c> makes .NET Framework call LoadLibrary
        /// with the bare name, which searches powershell.exe's folder and PATH, never Dependencies\runtimes. But a
        /// bare-name LoadLibrary takes a module of that name already loaded in the process, wherever it came from: so
        /// the process's architecture's e_sqlite3.dll is loaded here by full path, before the engine can touch SQLite.
        /// Best effort: when it cannot load, the store's first use reports SQLite's own DllNotFoundException.
        /// Untested: no Windows here.
        /// </summary>
        private static void PreloadNativeOnDesktop()
        {
            try
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
                string rid;
                switch (RuntimeInformation.ProcessArchitecture)
                {
                    case Architecture.X64: rid = "win-x64"; break;
                    case Architecture.X86: rid = "win-x86"; break;
                    case Architecture.Arm64: rid = "win-arm64"; break;
                    default: return;
                }
                var path = Path.Combine(Dependencies, "runtimes", rid, "native", "e_sqlite3.dll");
                // LOAD_WITH_ALTERED_SEARCH_PATH: the DLL's own imports (system DLLs only) resolve from its folder first.
                if (File.Exists(path)) LoadLibraryExW(path, IntPtr.Zero, LoadWithAlteredSearchPath);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is IOException || e is UnauthorizedAccessException) { }
        }

        private const uint LoadWithAlteredSearchPath = 0x00000008;

        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryExW(string fileName, IntPtr file, uint flags);

        private static Assembly ResolveOnDesktop(object sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            var path = Path.Combine(Dependencies, wanted.Name + ".dll");
            if (!File.Exists(path)) return null;
            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => string.Equals(a.GetName().Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
                                     && (wanted.Version == null || a.GetName().Version >= wanted.Version));
            return loaded ?? Assembly.LoadFrom(path);
        }
    }
}
