using System.Globalization;
using System.Runtime.InteropServices;
using HealthApiEmulator.Hosting;

namespace HealthApiEmulator;

/// <summary>Standalone emulator: prints its base URL and serves until stdin closes, SIGTERM or Ctrl+C.
/// First stdout line, always: <c>Listening on http://127.0.0.1:PORT/</c>.</summary>
public static class Program
{
    private const string Usage =
        "Usage: dotnet HealthApiEmulator.dll [--port N] [--auto-approve] [--seed N] [--now ISO8601] [--testing-app]\n" +
        "       [--quota N] [--latency-ms N] [--timezone IANA] [--client-secrets-out PATH] [--no-stdin]\n" +
        "       [--exact-pages] [--quota-retry-after] [--legacy-heart-rate] [--heart-rate-civil-filter-works] [--account-not-linked]\n" +
        "       [--write-takeout PATH [--takeout-layout 2026|legacy] [--takeout-from YYYY-MM-DD] [--takeout-to YYYY-MM-DD]]\n" +
        "Serves Google OAuth 2.0 and the Google Health API v4 on 127.0.0.1 until stdin reaches EOF, SIGTERM or Ctrl+C\n" +
        "(--no-stdin: ignore stdin, stop on SIGTERM/Ctrl+C only).\n" +
        "As strict and untidy as the live API by default; these switches turn parts of that off:\n" +
        "  --exact-pages                    list pages filled to pageSize and no points lost at page boundaries\n" +
        "  --quota-retry-after              quota 429s carry Retry-After (seconds to the minute boundary)\n" +
        "  --legacy-heart-rate              heart rate every 15 s (10 s in workouts) instead of every 2-5 s\n" +
        "  --heart-rate-civil-filter-works  heart_rate.sample_time.civil_time filters select points instead of none\n" +
        "  --account-not-linked             the Google account has no Google Health profile: /v4 answers ACCOUNT_NOT_LINKED\n" +
        "                                   (POST /_emulator/account {\"linked\":true|false} changes it while running)\n" +
        "--write-takeout PATH writes the person's Google Takeout zip (default: 2026 layout, the 30 complete days before today)\n" +
        "and exits without serving; POST /_emulator/takeout returns the same zip from a running emulator.";

    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions options;
        string? secretsOut;
        bool watchStdin;
        TakeoutRequest? takeout;
        try
        {
            (options, secretsOut, watchStdin, takeout) = Parse(args);
            if (takeout != null && options != null) return WriteTakeout(options, takeout);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        if (options == null) { Console.WriteLine(Usage); return 0; }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });

        Emulator emulatorStarted;
        try
        {
            emulatorStarted = await Emulator.StartAsync(options, stop.Token);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on 127.0.0.1:{options.Port}: {ex.Message}");
            return 1;
        }
        await using var emulator = emulatorStarted;
        Console.WriteLine($"Listening on {emulator.BaseUrl.AbsoluteUri}");

        var secretsPath = secretsOut ?? Path.Combine(Path.GetTempPath(), $"healthapi-emulator-{emulator.BaseUrl.Port}-client_secret.json");
        await File.WriteAllTextAsync(secretsPath, emulator.OAuth.ClientSecretsJson());
        Console.WriteLine($"ClientSecretsFile: {Path.GetFullPath(secretsPath)}");
        Console.WriteLine($"ClientId: {HealthApiEmulator.OAuth.OAuthServer.DefaultClientId}");
        Console.WriteLine($"Now: {emulator.Clock.UtcNow:O}");
        Console.Out.Flush();

        if (watchStdin)
        {
            // Reading to EOF ends when the parent closes our stdin (or exits): the emulator never outlives its user.
            _ = Task.Run(async () =>
            {
                try { while (await Console.In.ReadLineAsync(stop.Token) != null) { } }
                catch (OperationCanceledException) { return; }
                stop.Cancel();
            });
        }

        try { await Task.Delay(Timeout.Infinite, stop.Token); }
        catch (OperationCanceledException) { /* asked to stop */ }

        await emulator.StopAsync();
        if (secretsOut == null) TryDelete(secretsPath);
        return 0;
    }

    /// <summary>--write-takeout and its companions.</summary>
    internal sealed record TakeoutRequest(string Path)
    {
        public string? Layout { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
    }

    /// <summary>Writes the person's Takeout (the same person a server with these options would serve) and exits.</summary>
    private static int WriteTakeout(EmulatorOptions options, TakeoutRequest request)
    {
        var clock = new EmulatorClock(options.Now ?? DateTimeOffset.UtcNow, running: false);
        var (layout, from, to) = ControlApi.TakeoutArguments(request.Layout, request.From, request.To, clock);
        var person = new Data.SyntheticPerson(options.Person, options.Seed, clock, options.LegacyHeartRateCadence);
        var path = Path.GetFullPath(request.Path);
        Data.TakeoutWriter.Write(person, path, from, to, layout);
        Console.WriteLine($"Takeout: {path} ({layout}, {from:yyyy-MM-dd}..{to:yyyy-MM-dd}, {new FileInfo(path).Length} bytes)");
        return 0;
    }

    /// <summary>Null options means --help.</summary>
    internal static (EmulatorOptions Options, string? SecretsOut, bool WatchStdin, TakeoutRequest? Takeout) Parse(string[] args)
    {
        var options = new EmulatorOptions();
        string? secretsOut = null;
        TakeoutRequest? takeout = null;
        string? layout = null, from = null, to = null;
        var watchStdin = true;
        for (var i = 0; i < args.Length; i++)
        {
            string Value()
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value.");
                return args[++i];
            }
            int Int(int min)
            {
                var name = args[i];
                var text = Value();
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
                    throw new ArgumentException($"{name} needs a whole number >= {min}, not '{text}'.");
                return n;
            }

            switch (args[i])
            {
                case "--port": options.Port = Int(0); if (options.Port > 65535) throw new ArgumentException("--port must be 0..65535."); break;
                case "--auto-approve": options.AutoApprove = true; break;
                case "--seed": options.Seed = Int(int.MinValue); break;
                case "--testing-app": options.TestingApp = true; break;
                case "--quota": options.QuotaPerMinute = Int(0); break;
                case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(Int(0)); break;
                case "--no-stdin": watchStdin = false; break;
                case "--exact-pages": options.ShortPages = false; options.PageBoundaryLoss = false; break;
                case "--quota-retry-after": options.QuotaRetryAfter = true; break;
                case "--legacy-heart-rate": options.LegacyHeartRateCadence = true; break;
                case "--heart-rate-civil-filter-works": options.HeartRateCivilFilterWorks = true; break;
                case "--account-not-linked": options.Person.AccountLinked = false; break;
                case "--client-secrets-out": secretsOut = Value(); break;
                case "--write-takeout": takeout = new TakeoutRequest(Value()); break;
                case "--takeout-layout": layout = Value(); break;
                case "--takeout-from": from = Value(); break;
                case "--takeout-to": to = Value(); break;
                case "--now":
                {
                    var text = Value();
                    if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now))
                        throw new ArgumentException($"--now needs an ISO 8601 date-time such as 2026-11-20T12:00:00Z, not '{text}'.");
                    options.Now = now.ToUniversalTime();
                    break;
                }
                case "--timezone":
                {
                    var zone = Value();
                    try { TimeZoneInfo.FindSystemTimeZoneById(zone); }
                    catch (TimeZoneNotFoundException) { throw new ArgumentException($"--timezone: unknown IANA time zone '{zone}'."); }
                    options.Person.TimeZone = zone;
                    break;
                }
                case "--help" or "-h" or "-?": return (null!, null, false, null);
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (takeout == null && (layout ?? from ?? to) != null) throw new ArgumentException("--takeout-layout/--takeout-from/--takeout-to go with --write-takeout PATH.");
        if (takeout != null) takeout = takeout with { Layout = layout, From = from, To = to };
        return (options, secretsOut, watchStdin, takeout);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* a temp file left behind is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
