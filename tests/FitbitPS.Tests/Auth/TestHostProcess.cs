using System.Diagnostics;
using System.Text.Json;

namespace FitbitPS.Tests.Auth;

/// <summary>Starts FitbitPS.TestHost (built next to this test project) as a real process.</summary>
internal static class TestHostProcess
{
    public static string Dll
    {
        get
        {
            // bin/<Configuration>/net10.0/ of the tests → the same folder of the test host.
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = testBin.Name; var config = testBin.Parent!.Name;
            var testsRoot = testBin.Parent.Parent!.Parent!.Parent!.FullName; // tests/
            var dll = Path.Combine(testsRoot, "FitbitPS.TestHost", "bin", config, tfm, "FitbitPS.TestHost.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("Build tests/FitbitPS.TestHost first (dotnet build FitbitPS.sln).", dll);
            return dll;
        }
    }

    public static Process Start(IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var kv in env)
        {
            if (kv.Value == null) psi.Environment.Remove(kv.Key);
            else psi.Environment[kv.Key] = kv.Value;
        }
        return Process.Start(psi)!;
    }

    public static async Task<(int ExitCode, JsonElement Json, string Stdout, string Stderr)> RunAsync(IDictionary<string, string?> env, params string[] args)
    {
        using var p = Start(env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        var o = await stdout; var e = await stderr;
        var line = o.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "{}";
        JsonElement json;
        try { json = JsonDocument.Parse(line).RootElement.Clone(); }
        catch (JsonException) { json = JsonDocument.Parse("{}").RootElement.Clone(); }
        return (p.ExitCode, json, o, e);
    }
}
