using FitbitPS.Engine;
using System.Diagnostics;
using System.Text.Json;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Http;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Emu = HealthApiEmulator.Hosting.Emulator;

using FitbitPS.Testing;

namespace FitbitPS.Bench;

/// <summary>Run-wide settings (from the command line).</summary>
public sealed class BenchSettings
{
    /// <summary>The emulator's frozen "now": a Friday evening in New York.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
    public static DateTime Today => new(2026, 11, 20);

    public bool Quick { get; set; }
    /// <summary>Latency the emulator adds to every /v4 request.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(150);
    /// <summary>Google's per-user quota, requests per rolling minute.</summary>
    public int Quota { get; set; } = 300;
    /// <summary>Days the naive client really runs (its year is extrapolated from them).</summary>
    public int NaiveDays { get; set; } = 14;
    public bool RunBenchmarkDotNet { get; set; } = true;
    public string? WriteResults { get; set; }
    public string? Only { get; set; }
}

/// <summary>An in-process emulator (latency + quota on) and FitbitPS's client and reader signed in to it.</summary>
internal sealed class EmulatorSession : IAsyncDisposable
{
    private EmulatorSession(Emu emu, EmulatorTokenSource tokens, FitbitConnection connection)
    {
        Emulator = emu; Tokens = tokens; Connection = connection;
        Events = new EngineEvents { Waiting = w => { lock (Waits) Waits.Add(w); } };
        Reader = connection.OpenReader(Events);
    }

    public Emu Emulator { get; }
    public EmulatorTokenSource Tokens { get; }
    /// <summary>The front door every front end uses, here on the emulator's tokens.</summary>
    public FitbitConnection Connection { get; }
    /// <summary>The events of the harness's reads and exports (waits are collected in <see cref="Waits"/>).</summary>
    public EngineEvents Events { get; }
    public FitbitReader Reader { get; }
    public HealthClient Client => Reader.Client;
    /// <summary>Waits the client reported (429 retries would show here; quota waits of our own throttle too).</summary>
    public List<RequestWait> Waits { get; } = new();

    public static async Task<EmulatorSession> StartAsync(BenchSettings settings, TimeSpan? latency = null)
    {
        var emu = await Emu.StartAsync(new EmulatorOptions
        {
            Now = BenchSettings.Now,
            Latency = latency ?? settings.Latency,
            QuotaPerMinute = settings.Quota,
        });
        var tokens = new EmulatorTokenSource(emu);
        // The same client a signed-in session gets: the default throttle (4 in flight, 300/min).
        var timing = new TimingHandler(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.All });
        var connection = new FitbitConnection(tokens, GoogleEndpoints.ForEmulator(emu.BaseUrl).HealthApiBase, timing,
            configure: c => c.Clock = () => emu.Clock.UtcNow);
        return new EmulatorSession(emu, tokens, connection) { RoundTrips = timing };
    }

    /// <summary>Every /v4 request the emulator answered (the server's own log).</summary>
    /// <summary>Round-trip times of the client's requests (added latency + the emulator's own work).</summary>
    public TimingHandler RoundTrips { get; private init; } = null!;

    /// <summary>Makes the emulator generate the person's days in the range now (its data is lazy), so
    /// timed runs measure serving, not the synthetic data generator. No request is made.</summary>
    public void Warm(CivilRange range)
        => Emulator.Person.SleepSessions(DateOnly.FromDateTime(range.From.AddDays(-1)), DateOnly.FromDateTime(range.To.AddDays(1)));

    public int HealthRequests => Emulator.Requests.HealthApi.Count;

    /// <summary>
    /// The pages the emulator serves a bare client that follows every token of one list query at pageSize
    /// 10,000: the fewest requests any client can make for it under the live rules (short and empty pages,
    /// 5,000-point pages for dense types). A plain HTTP loop, independent of FitbitPS; it adds its own requests
    /// to the log, so read the reader's count first.
    /// </summary>
    public int ServedPages(string typeId, string? filter)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.CurrentAccessToken);
        int pages = 0;
        string? next = null;
        do
        {
            var uri = $"v4/users/me/dataTypes/{typeId}/dataPoints?pageSize=10000"
                      + (filter == null ? "" : "&filter=" + Uri.EscapeDataString(filter))
                      + (next == null ? "" : "&pageToken=" + Uri.EscapeDataString(next));
            using var response = http.GetAsync(uri).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            pages++;
            using var doc = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            next = doc.RootElement.TryGetProperty("nextPageToken", out var t) && t.GetString() is { Length: > 0 } s ? s : null;
        } while (next != null);
        return pages;
    }

    /// <summary>Physical instant of a civil midnight in the person's home zone.</summary>
    public DateTimeOffset HomeMidnight(DateTime day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Emulator.Person.Options.TimeZone);
        return new DateTimeOffset(day, zone.GetUtcOffset(day));
    }

    public int RequestsFor(string dataType)
        => Emulator.Requests.HealthApi.Count(r => r.Path.Contains($"/dataTypes/{dataType}/", StringComparison.Ordinal));

    public int Count429 => Emulator.Requests.HealthApi.Count(r => r.Status == 429);

    public void ResetLog() => Emulator.Requests.Clear();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Records how long each request took from send to the end of its body.</summary>
public sealed class TimingHandler : DelegatingHandler
{
    private readonly List<TimeSpan> _times = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public TimingHandler(HttpMessageHandler inner) : base(inner) { }

    /// <summary>(path, start, end) on this handler's clock, for BENCH_DEBUG timelines.</summary>
    public List<(string Path, TimeSpan Start, TimeSpan End)> Timeline { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = _clock.Elapsed;
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var end = _clock.Elapsed;
        lock (_times) { _times.Add(end - start); Timeline.Add((request.RequestUri!.AbsolutePath, start, end)); }
        return response;
    }

    /// <summary>This handler's clock (the one <see cref="Timeline"/> is on).</summary>
    public TimeSpan Now => _clock.Elapsed;

    public void Clear() { lock (_times) { _times.Clear(); Timeline.Clear(); } }
    public TimeSpan Mean { get { lock (_times) return _times.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)_times.Average(t => t.Ticks)); } }
}

public static class Timing
{
    public static async Task<(T Result, TimeSpan Elapsed)> Time<T>(Func<Task<T>> run)
    {
        var sw = Stopwatch.StartNew();
        var r = await run();
        return (r, sw.Elapsed);
    }
}
