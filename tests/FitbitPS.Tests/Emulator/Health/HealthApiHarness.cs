using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>A started emulator plus a plain HttpClient and a consented token: what every Health API
/// test talks to (real HTTP on 127.0.0.1, real bearer check).</summary>
public sealed class HealthApiHarness : IAsyncDisposable
{
    /// <summary>Friday 2026-11-20 17:30 UTC = 12:30 in New York.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 20, 17, 30, 0, TimeSpan.Zero);

    public static readonly string[] AllReadScopes =
    {
        Scopes.ActivityAndFitness, Scopes.HealthMetrics, Scopes.Sleep, Scopes.Profile, Scopes.Settings, Scopes.Ecg,
    };

    private HealthApiHarness(HealthApiEmulator.Hosting.Emulator emulator, string token)
    {
        Emulator = emulator;
        Token = token;
    }

    public HealthApiEmulator.Hosting.Emulator Emulator { get; }
    public HealthApiEmulator.Data.SyntheticPerson Person => Emulator.Person;
    public string Token { get; }
    public HttpClient Http { get; } = new();

    public static async Task<HealthApiHarness> StartAsync(int seed = 7, DateTimeOffset? now = null, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Now = now ?? DefaultNow, Seed = seed, QuotaPerMinute = 0 };
        configure?.Invoke(options);
        var emulator = await HealthApiEmulator.Hosting.Emulator.StartAsync(options);
        var token = emulator.OAuth.IssueTokens(AllReadScopes).AccessToken;
        return new HealthApiHarness(emulator, token);
    }

    public string TokenFor(params string[] scopes) => Emulator.OAuth.IssueTokens(scopes).AccessToken;

    public async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> GetAsync(string pathAndQuery, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Emulator.BaseUrl, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return await SendAsync(request);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> PostAsync(string path, string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Emulator.BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(request);
    }

    private async Task<(HttpStatusCode, JsonElement, string)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(raw);
        return (response.StatusCode, doc.RootElement.Clone(), raw);
    }

    /// <summary>GET list (or reconcile) with an optional filter, page size and token.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body, string Raw)> ListAsync(string type, string? filter = null, int? pageSize = null,
        string? pageToken = null, bool reconcile = false, string? token = null, string? extra = null)
    {
        var q = new List<string>();
        if (filter != null) q.Add("filter=" + Uri.EscapeDataString(filter));
        if (pageSize != null) q.Add("pageSize=" + pageSize);
        if (pageToken != null) q.Add("pageToken=" + Uri.EscapeDataString(pageToken));
        if (extra != null) q.Add(extra);
        var path = $"v4/users/me/dataTypes/{type}/dataPoints{(reconcile ? ":reconcile" : "")}" + (q.Count > 0 ? "?" + string.Join("&", q) : "");
        return GetAsync(path, token);
    }

    /// <summary>Every page of a list/reconcile query (or pages until at least <paramref name="maxPoints"/> points),
    /// newest first, with the number of requests made. Pages may be short or empty (no dataPoints member) and the
    /// last one carries "nextPageToken": "".</summary>
    public async Task<(List<JsonElement> Points, int Requests)> ListAllAsync(string type, string? filter = null, int? pageSize = null, bool reconcile = false,
        int maxPoints = int.MaxValue)
    {
        var points = new List<JsonElement>();
        string? next = null;
        var requests = 0;
        do
        {
            var (status, body, raw) = await ListAsync(type, filter, pageSize, next, reconcile);
            requests++;
            Assert.True(status == HttpStatusCode.OK, raw);
            points.AddRange(Points(body));
            next = body.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }
        while (!string.IsNullOrEmpty(next) && points.Count < maxPoints);
        return (points, requests);
    }

    /// <summary>The dataPoints of a list/reconcile body; none when the member is absent (an empty page, or {}).</summary>
    public static IEnumerable<JsonElement> Points(JsonElement body)
        => body.TryGetProperty("dataPoints", out var points) ? points.EnumerateArray().ToList() : Enumerable.Empty<JsonElement>();

    /// <summary>Pages filled exactly and no points lost at boundaries, for tests about something other than paging.</summary>
    public static void ExactPages(EmulatorOptions options)
    {
        options.ShortPages = false;
        options.PageBoundaryLoss = false;
    }

    public static string DailyBody(DateOnly start, DateOnly end, int windowSizeDays = 1, string? family = null, int? pageSize = null, string? pageToken = null)
        => $"{{\"range\":{{\"start\":{{\"date\":{{\"year\":{start.Year},\"month\":{start.Month},\"day\":{start.Day}}}}},\"end\":{{\"date\":{{\"year\":{end.Year},\"month\":{end.Month},\"day\":{end.Day}}}}}}},\"windowSizeDays\":{windowSizeDays}"
           + (family != null ? $",\"dataSourceFamily\":\"{family}\"" : "")
           + (pageSize != null ? $",\"pageSize\":{pageSize}" : "")
           + (pageToken != null ? $",\"pageToken\":\"{pageToken}\"" : "") + "}";

    public Task<(HttpStatusCode Status, JsonElement Body, string Raw)> DailyRollUpAsync(string type, DateOnly start, DateOnly end, int windowSizeDays = 1, string? token = null, int? pageSize = null)
        => PostAsync($"v4/users/me/dataTypes/{type}/dataPoints:dailyRollUp", DailyBody(start, end, windowSizeDays, pageSize: pageSize), token);

    public Task<(HttpStatusCode Status, JsonElement Body, string Raw)> RollUpAsync(string type, DateTimeOffset start, DateTimeOffset end, string windowSize, int? pageSize = null, string? pageToken = null)
        => PostAsync($"v4/users/me/dataTypes/{type}/dataPoints:rollUp",
            JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["range"] = new Dictionary<string, string> { ["startTime"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["endTime"] = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") },
                ["windowSize"] = windowSize,
                ["pageSize"] = pageSize,
                ["pageToken"] = pageToken,
            }.Where(kv => kv.Value != null).ToDictionary(kv => kv.Key, kv => kv.Value)));

    /// <summary>Google's error object; fails when the body is not the envelope.</summary>
    public static JsonElement Error(JsonElement body) => body.GetProperty("error");

    /// <summary>The ErrorInfo detail of Google's envelope (fails when there is none).</summary>
    public static JsonElement ErrorInfo(JsonElement body)
        => Error(body).GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");

    public static string? Reason(JsonElement body)
        => Error(body).TryGetProperty("details", out var details)
            ? details.EnumerateArray().Where(d => d.GetProperty("@type").GetString()!.EndsWith("ErrorInfo")).Select(d => d.GetProperty("reason").GetString()).FirstOrDefault()
            : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
