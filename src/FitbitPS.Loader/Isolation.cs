using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace FitbitPS.Loader;

/// <summary>
/// Installs FitbitPS's dependency isolation on PowerShell 7 (the pattern of "Resolving PowerShell module assembly
/// dependency conflicts" and Microsoft.Graph.Authentication): when the cmdlet assembly, loaded by PowerShell in the
/// default context, first needs the engine, the default context cannot find it (it is not beside the cmdlet
/// assembly) and asks <see cref="Resolve"/>, which loads it into <see cref="DependencyLoadContext"/>; from there
/// the engine's own references resolve privately. Called by the cmdlet assembly's module initializer, by reflection.
/// </summary>
public static class Isolation
{
    private const string EngineName = "FitbitPS.Engine";
    private static readonly object Gate = new();
    private static DependencyLoadContext? s_context;

    /// <summary>The context the engine lives in (null before <see cref="Install"/>).</summary>
    public static AssemblyLoadContext? Context => s_context;

    /// <summary>Starts answering the default context's requests for the engine from <paramref name="dependencies"/>.
    /// A second import of the module in the same process reuses the same context (a .NET assembly cannot be unloaded).</summary>
    public static void Install(string dependencies)
    {
        lock (Gate)
        {
            if (s_context != null) return;
            s_context = new DependencyLoadContext(Path.GetFullPath(dependencies));
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
        => name.Name == EngineName ? s_context?.LoadFromAssemblyName(name) : null;
}
