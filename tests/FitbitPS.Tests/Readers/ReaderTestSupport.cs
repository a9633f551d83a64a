using FitbitPS.Engine;
using System.Net.Http.Json;
using System.Text.Json;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Http;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using Emu = HealthApiEmulator.Hosting.Emulator;
using HealthApiEmulator.OAuth;

using FitbitPS.Testing;

namespace FitbitPS.Tests.Readers;

/// <summary>A started emulator with a frozen clock plus a reader signed in to it.</summary>
internal sealed class ReaderHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);

    private ReaderHarness(Emu emu, EmulatorTokenSource tokens, RequestThrottle? throttle)
    {
        Emulator = emu; Tokens = tokens; _throttle = throttle;
        Events = new EngineEvents { Waiting = w => { lock (Waits) Waits.Add(w); } };
        Connection = Connect(emu.Person.Options.HealthUserId);
        Reader = Connection.OpenReader(Events);
    }

    private readonly RequestThrottle? _throttle;

    /// <summary>A connection to the emulator as the person (or as another account/profile, for export tests), with the
    /// emulator's clock and short back-off.</summary>
    public FitbitConnection Connect(string? healthUserId, string? profile = null)
        => new(Tokens, GoogleEndpoints.ForEmulator(Emulator.BaseUrl).HealthApiBase, configure: c =>
        {
            c.Clock = () => Emulator.Clock.UtcNow;
            c.InitialBackoff = TimeSpan.FromMilliseconds(20);
            c.MaxBackoff = TimeSpan.FromMilliseconds(200);
        }, healthUserId: healthUserId, throttle: _throttle, profile: profile);

    /// <summary>The front door, as the emulator's person.</summary>
    public FitbitConnection Connection { get; }
    /// <summary>The events of the harness's reads (waits are collected in <see cref="Waits"/>).</summary>
    public EngineEvents Events { get; }
    public HealthClient Client => Reader.Client;

    public Emu Emulator { get; }
    public EmulatorTokenSource Tokens { get; }
    public FitbitReader Reader { get; }
    public List<RequestWait> Waits { get; } = new();

    public static async Task<ReaderHarness> StartAsync(Action<EmulatorOptions>? configure = null, IEnumerable<string>? scopes = null, RequestThrottle? throttle = null)
    {
        var options = new EmulatorOptions { Now = DefaultNow };
        configure?.Invoke(options);
        var emu = await Emu.StartAsync(options);
        var tokens = new EmulatorTokenSource(emu, scopes);
        return new ReaderHarness(emu, tokens, throttle);
    }

    /// <summary>Health API requests to one data type's collection (any method).</summary>
    public int RequestsFor(string dataType)
        => Emulator.Requests.HealthApi.Count(r => r.Path.Contains($"/dataTypes/{dataType}/", StringComparison.Ordinal));

    public int DataRequests => Emulator.Requests.HealthApi.Count(r => r.Path.Contains("/dataTypes/", StringComparison.Ordinal));

    /// <summary>Physical instant of a civil midnight in the person's home zone (for ground-truth queries).</summary>
    public DateTimeOffset HomeMidnight(DateTime day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Emulator.Person.Options.TimeZone);
        return new DateTimeOffset(day, zone.GetUtcOffset(day));
    }

    /// <summary>
    /// The pages the emulator serves a client that follows every token of one list query (pageSize 10,000):
    /// the fewest requests any client can make for it, now that pages are short, sometimes empty, and dense
    /// types stop at 5,000. A plain HTTP loop, independent of FitbitPS's reader; call it after counting the
    /// reader's requests (it adds its own to the log).
    /// </summary>
    public int ServedPages(string typeId, string? filter, bool reconcile = false)
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUrl };
        var token = Tokens.GetAccessTokenAsync(false, CancellationToken.None).GetAwaiter().GetResult();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        int pages = 0;
        string? next = null;
        do
        {
            var uri = $"v4/users/me/dataTypes/{typeId}/dataPoints{(reconcile ? ":reconcile" : "")}?pageSize=10000"
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

    /// <summary>The civil-day list filter the readers use (Google's own field names).</summary>
    public static string CivilFilter(DataTypeInfo type, CivilRange range) => RequestPlanner.ListFilter(type, range);

    /// <summary>The physical filter of a home-zone range (raw heart rate).</summary>
    public string PhysicalFilter(DataTypeInfo type, CivilRange range) => type.PhysicalFilter(HomeMidnight(range.From), HomeMidnight(range.EndExclusive));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Connection.Dispose();
        await Emulator.DisposeAsync();
    }
}

internal static class ReadItems
{
    /// <summary>All records; fails on any error item.</summary>
    public static List<T> Records<T>(this IEnumerable<ReadItem<T>> items)
    {
        var list = new List<T>();
        foreach (var item in items)
        {
            if (item.IsError) throw new Xunit.Sdk.XunitException("Unexpected chunk failure: " + item.Error!.Message);
            list.Add(item.Record);
        }
        return list;
    }
}
