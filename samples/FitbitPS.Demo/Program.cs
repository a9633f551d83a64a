// FitbitPS without PowerShell: the module's main job through the same engine the cmdlets use.
//
//   dotnet run --project samples/FitbitPS.Demo                       # bundled emulator, no Google account
//   dotnet run --project samples/FitbitPS.Demo -- --out ./my-export  # another export folder
//   dotnet run --project samples/FitbitPS.Demo -- --client-secrets ~/Downloads/client_secret_….json
//                                                                    # your own Google account (browser sign-in)
//
// With the emulator it starts Google OAuth + Health API v4 on 127.0.0.1 (auto-approving consent),
// signs in with the real code flow (an HttpClient plays the browser), prints a week of sleep like
// `Get-FitbitSleep -Days 7 | Format-Table`, exports every kind into ./demo-export like
// `Export-FitbitData`, and prints one line per kind. Run it twice: the second export reads only
// the last few days and adds nothing.
using System.Globalization;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;

string outDir = "./demo-export";
string? clientSecrets = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
        case "--client-secrets" when i + 1 < args.Length: clientSecrets = args[++i]; break;
        case "-h" or "--help":
            Console.WriteLine("usage: FitbitPS.Demo [--out <folder>] [--client-secrets <client_secret.json>]");
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}' (try --help)");
            return 64;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
EngineLogger log = (level, message) => { if (level == EngineLogLevel.Warning) Console.Error.WriteLine("WARNING: " + message); };

Emulator? emulator = null;
string? tempSecrets = null, tempCache = null;
using var browser = new HttpClient(); // follows redirects: consent page → loopback listener with ?code=
try
{
    var connect = new ConnectOptions { Profile = "demo", Log = log };
    if (clientSecrets == null)
    {
        emulator = await Emulator.StartAsync(new EmulatorOptions { AutoApprove = true }, cancel.Token);
        Console.WriteLine($"Emulator of Google OAuth + Health API v4 listening on {emulator.BaseUrl}");
        tempSecrets = Path.Combine(Path.GetTempPath(), $"fitbitps-demo-client-{Guid.NewGuid():N}.json");
        File.WriteAllText(tempSecrets, emulator.OAuth.ClientSecretsJson());
        connect.ClientSecretFile = tempSecrets;
        connect.EndpointUri = emulator.BaseUrl;
        // Tokens in process memory only: the demo leaves nothing behind.
        tempCache = Path.Combine(Path.GetTempPath(), $"fitbitps-demo-cache-{Guid.NewGuid():N}");
        connect.CacheFolder = tempCache;
        connect.TokenCache = TokenCacheKind.Process;
        // Like a real browser launch, this returns at once; the page loads while the engine listens.
        connect.OpenBrowser = (url, ct) =>
        {
            _ = Task.Run(async () => { using var _ = await browser.GetAsync(url, CancellationToken.None); });
            return Task.CompletedTask;
        };
    }
    else
    {
        // A real Google account: the browser opens Google's consent page once; the tokens are kept
        // in the OS-protected cache under profile "demo" (Disconnect-Fitbit -Profile demo removes them).
        connect.ClientSecretFile = clientSecrets;
    }

    using var session = await FitbitAuthenticator.ConnectAsync(connect, cancel.Token);
    Console.WriteLine($"Signed in (profile '{session.Profile}', token cache {session.TokenCacheKind}).");
    using var client = HealthClientFactory.Create(session);
    client.Waiting += w => Console.Error.WriteLine(w.ToString());
    var reader = new FitbitReader(client);

    // Get-FitbitSleep -Days 7 | Format-Table
    var week = reader.Resolve(null, null, 7);
    Console.WriteLine();
    Console.WriteLine($"Sleep {week}:");
    Console.WriteLine($"{"Date",-10}  {"Start",-5}  {"End",-5}  {"Asleep",6}  {"Awake",5}  {"Deep",4}  {"Light",5}  {"Rem",4}  Main");
    foreach (var item in reader.ReadSleep(week, cancel.Token))
    {
        if (item.IsError) { Console.Error.WriteLine("ERROR: " + item.Error.Message); continue; }
        SleepSession s = item.Record;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd}  {1:HH:mm}  {2:HH:mm}  {3,6}  {4,5}  {5,4}  {6,5}  {7,4}  {8}",
            s.Date, s.Start, s.End, s.MinutesAsleep, s.MinutesAwake, s.DeepMinutes, s.LightMinutes, s.RemMinutes, s.IsMainSleep ? "yes" : "nap"));
    }

    // Export-FitbitData -Path ./demo-export (the emulator's history starts years back; the demo
    // backfills the last 90 days on its first run, then only what is new).
    string folder = Path.GetFullPath(outDir);
    var request = HealthExport.Request(reader, folder, new[] { "All" }, includeIntraday: false, ExportFormat.Csv,
        from: File.Exists(Path.Combine(folder, ExportState.FileName)) ? null : DateTime.Today.AddDays(-89), to: null, full: false);
    var options = HealthExport.Options(reader, new ExportOptions
    {
        Progress = p => { if (p.Completed && !Console.IsErrorRedirected) Console.Error.Write($"\r{p.OverallPercent,3}% {p.Status,-70}"); },
    });
    Console.WriteLine();
    Console.WriteLine($"Exporting into {folder} …");
    var results = await Exporter.RunAsync(request, options, cancel.Token);
    if (!Console.IsErrorRedirected) Console.Error.Write("\r" + new string(' ', 76) + "\r");
    Console.WriteLine($"{"Kind",-21} {"File",-27} {"Added",6} {"Updated",7} {"Total",6} {"Requests",8}  Days read");
    foreach (var r in results)
    {
        Console.WriteLine($"{r.Kind,-21} {Path.GetFileName(r.File),-27} {r.RowsAdded,6} {r.RowsUpdated,7} {r.RowsTotal,6} {r.Requests,8}  " +
                          (r.From.HasValue ? $"{r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}" : "-") + (r.Error != null ? "  ERROR: " + r.Error.Message : ""));
    }
    Console.WriteLine();
    Console.WriteLine("Run it again: the second export reads only the last few days and adds nothing new.");
    return results.Any(r => r.Error != null) ? 1 : 0;
}
catch (OperationCanceledException e) when (cancel.IsCancellationRequested || Environment.GetEnvironmentVariable("FITBITPS_DEMO_DEBUG") == null)
{
    Console.Error.WriteLine(cancel.IsCancellationRequested ? "Cancelled." : "Timed out: " + e.Message);
    return 130;
}
catch (FitbitEngineException e)
{
    Console.Error.WriteLine($"ERROR {e.ErrorId}: {e.Message}");
    return 1;
}
finally
{
    if (tempSecrets != null) File.Delete(tempSecrets);
    if (tempCache != null && Directory.Exists(tempCache)) Directory.Delete(tempCache, recursive: true);
    if (emulator != null) await emulator.DisposeAsync();
}
