using System.Net.Http.Json;
using System.Text.Json;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using Emu = HealthApiEmulator.Hosting.Emulator;
using HealthApiEmulator.OAuth;

namespace FitbitPS.Tests.Readers;

/// <summary>An access-token source over a real grant of the real emulator: IssueTokens for the
/// consent, the emulator's /token endpoint for every refresh (no mock of our HTTP layer).</summary>
internal sealed class EmulatorTokenSource : IAccessTokenSource
{
    private readonly Emu _emu;
    private readonly HttpClient _http = new();
    private string _access;
    private readonly string _refresh;

    public EmulatorTokenSource(Emu emu, IEnumerable<string>? scopes = null)
    {
        _emu = emu;
        var issued = emu.OAuth.IssueTokens(scopes ?? AllReadScopes);
        _access = issued.AccessToken;
        _refresh = issued.RefreshToken;
    }

    public static readonly string[] AllReadScopes =
    {
        Scopes.ActivityAndFitness, Scopes.HealthMetrics, Scopes.Sleep, Scopes.Profile, Scopes.Settings,
    };

    public int Refreshes { get; private set; }

    public async Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh) return _access;
        Refreshes++;
        using var response = await _http.PostAsync(new Uri(_emu.BaseUrl, "token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _refresh,
            ["client_id"] = OAuthServer.DefaultClientId,
            ["client_secret"] = OAuthServer.DefaultClientSecret,
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        _access = doc.RootElement.GetProperty("access_token").GetString()!;
        return _access;
    }
}

/// <summary>A started emulator with a frozen clock plus a reader signed in to it.</summary>
internal sealed class ReaderHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);

    private ReaderHarness(Emu emu, EmulatorTokenSource tokens, HealthClient client)
    {
        Emulator = emu; Tokens = tokens; Client = client; Reader = new FitbitReader(client);
    }

    public Emu Emulator { get; }
    public EmulatorTokenSource Tokens { get; }
    public HealthClient Client { get; }
    public FitbitReader Reader { get; }
    public List<RequestWait> Waits { get; } = new();

    public static async Task<ReaderHarness> StartAsync(Action<EmulatorOptions>? configure = null, IEnumerable<string>? scopes = null, RequestThrottle? throttle = null)
    {
        var options = new EmulatorOptions { Now = DefaultNow };
        configure?.Invoke(options);
        var emu = await Emu.StartAsync(options);
        var tokens = new EmulatorTokenSource(emu, scopes);
        var client = new HealthClient(tokens, GoogleEndpoints.ForEmulator(emu.BaseUrl).HealthApiBase, throttle: throttle ?? new RequestThrottle())
        {
            Clock = () => emu.Clock.UtcNow,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        };
        var harness = new ReaderHarness(emu, tokens, client);
        client.Waiting += w => { lock (harness.Waits) harness.Waits.Add(w); };
        return harness;
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
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
