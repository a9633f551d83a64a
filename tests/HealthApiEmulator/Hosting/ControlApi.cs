using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HealthApiEmulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HealthApiEmulator.Hosting;

/// <summary>
/// Loopback control API for scripts (Pester, demos) that drive a standalone emulator: faults, clock,
/// request counts, token helpers. Not part of Google's surface; never logged, faulted or authenticated.
/// Documented in tests/HealthApiEmulator/README.md.
/// </summary>
internal static class ControlApi
{
    public static void Map(WebApplication app, EmulatorOptions options, EmulatorClock clock,
        OAuth.OAuthServer oauth, FaultPlan faults, RequestLog requests, Health.PagingCounters paging, Data.SyntheticPerson person)
    {
        var p = Pipeline.ControlPrefix;

        app.MapGet(p, () => Json(new JsonObject
        {
            ["baseUrl"] = oauth.BaseUrl?.AbsoluteUri,
            ["now"] = Iso(clock.UtcNow),
            ["clientId"] = OAuth.OAuthServer.DefaultClientId,
            ["autoApprove"] = options.AutoApprove,
            ["testingApp"] = options.TestingApp,
            ["quotaPerMinute"] = options.QuotaPerMinute,
            ["quotaRetryAfter"] = options.QuotaRetryAfter,
            ["shortPages"] = options.ShortPages,
            ["pageBoundaryLoss"] = options.PageBoundaryLoss,
            ["legacyHeartRateCadence"] = options.LegacyHeartRateCadence,
            ["heartRateCivilFilterWorks"] = options.HeartRateCivilFilterWorks,
            ["boundarySkippedPoints"] = paging.BoundarySkippedPoints,
            ["emptyPages"] = paging.EmptyPages,
            ["pendingFaults"] = faults.Pending,
            ["requests"] = requests.All.Count,
        }));

        app.MapGet(p + "/paging", (HttpContext context) =>
        {
            string? type = context.Request.Query["dataType"];
            return Json(new JsonObject
            {
                ["boundarySkippedPoints"] = string.IsNullOrEmpty(type) ? paging.BoundarySkippedPoints : paging.BoundarySkippedPointsOf(type),
                ["emptyPages"] = paging.EmptyPages,
            });
        });

        app.MapDelete(p + "/paging", () =>
        {
            paging.Reset();
            return Json(new JsonObject { ["boundarySkippedPoints"] = 0, ["emptyPages"] = 0 });
        });

        app.MapPost(p + "/faults", (Func<HttpContext, Task<IResult>>)(context => Guard(async () =>
        {
            var body = await ReadBodyAsync(context);
            if (body == null) return BadRequest("Send a JSON object: {\"kind\":\"Unavailable\",\"count\":1,\"pathContains\":\"/v4/\"}.");
            var kindText = body["kind"]?.GetValue<string>();
            if (!Enum.TryParse<FaultKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
                return BadRequest($"Unknown fault kind '{kindText}'. Kinds: {string.Join(", ", Enum.GetNames<FaultKind>())}.");
            var count = body["count"]?.GetValue<int>() ?? 1;
            if (count <= 0) return BadRequest("count must be 1 or more.");
            var fault = faults.Add(kind, count, body["pathContains"]?.GetValue<string>());
            if (body["latencyMs"] is { } latency) fault.Latency = TimeSpan.FromMilliseconds(latency.GetValue<int>());
            if (body["retryAfterSeconds"] is { } retry) fault.RetryAfterSeconds = retry.GetValue<int>();
            if (body["htmlStatus"] is { } html) fault.HtmlStatus = html.GetValue<int>();
            if (body["stallMs"] is { } stall) fault.StallFor = TimeSpan.FromMilliseconds(stall.GetValue<int>());
            if (body["status"] is { } status) fault.Status = status.GetValue<int>();
            if (body["body"] is { } text) fault.Body = text.GetValue<string>();
            if (body["contentType"] is { } type) fault.ContentType = type.GetValue<string>();
            return Json(new JsonObject { ["pendingFaults"] = faults.Pending });
        })));

        app.MapDelete(p + "/faults", () =>
        {
            faults.Clear();
            return Json(new JsonObject { ["pendingFaults"] = 0 });
        });

        app.MapGet(p + "/clock", () => Json(new JsonObject { ["now"] = Iso(clock.UtcNow) }));

        app.MapPost(p + "/clock", (Func<HttpContext, Task<IResult>>)(context => Guard(async () =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["set"] is { } set)
            {
                if (!DateTimeOffset.TryParse(set.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    return BadRequest("set must be an ISO 8601 date-time, e.g. 2026-11-20T12:00:00Z.");
                clock.Set(at);
            }
            else if (body?["advanceSeconds"] is { } advance)
            {
                clock.Advance(TimeSpan.FromSeconds(advance.GetValue<double>()));
            }
            else
            {
                return BadRequest("Send {\"advanceSeconds\":N} or {\"set\":\"2026-11-20T12:00:00Z\"}.");
            }
            return Json(new JsonObject { ["now"] = Iso(clock.UtcNow) });
        })));

        app.MapGet(p + "/requests", (HttpContext context) =>
        {
            string? contains = context.Request.Query["pathContains"];
            var count = string.IsNullOrEmpty(contains)
                ? requests.All.Count
                : requests.Count(r => r.Path.Contains(contains, StringComparison.OrdinalIgnoreCase));
            return Json(new JsonObject { ["count"] = count });
        });

        app.MapDelete(p + "/requests", () =>
        {
            requests.Clear();
            return Json(new JsonObject { ["count"] = 0 });
        });

        app.MapPost(p + "/tokens", (Func<HttpContext, Task<IResult>>)(context => Guard(async () =>
        {
            var body = await ReadBodyAsync(context);
            var scopes = (body?["scopes"] as JsonArray)?.Select(s => s!.GetValue<string>()).ToList();
            if (scopes == null || scopes.Count == 0) return BadRequest("Send {\"scopes\":[\"https://www.googleapis.com/auth/googlehealth.sleep.readonly\"]}.");
            var tokens = oauth.IssueTokens(scopes, body?["clientId"]?.GetValue<string>());
            return Json(new JsonObject
            {
                ["access_token"] = tokens.AccessToken,
                ["refresh_token"] = tokens.RefreshToken,
                ["expires_in"] = tokens.ExpiresInSeconds,
            });
        })));

        app.MapPost(p + "/tokens/expire", () =>
        {
            oauth.ExpireAccessTokens();
            return Results.NoContent();
        });

        // The person's Google account loses (or gains) its Google Health profile: every /v4 call then answers
        // ACCOUNT_NOT_LINKED, as for an account that never had one.
        app.MapPost(p + "/account", (Func<HttpContext, Task<IResult>>)(context => Guard(async () =>
        {
            var body = await ReadBodyAsync(context);
            if (body?["linked"] is not { } linked) return BadRequest("Send {\"linked\":false} or {\"linked\":true}.");
            options.Person.AccountLinked = linked.GetValue<bool>();
            return Json(new JsonObject { ["linked"] = options.Person.AccountLinked });
        })));

        app.MapPost(p + "/tokens/revoke-all", () =>
        {
            oauth.RevokeAll();
            return Results.NoContent();
        });

        // The person's Google Takeout as a zip: {"layout":"GoogleHealth"|"Fitbit","from":"YYYY-MM-DD","to":"YYYY-MM-DD"}
        // (all optional: the 2026 layout, the 30 complete days before today). The same facts the API serves.
        app.MapPost(p + "/takeout", (Func<HttpContext, Task<IResult>>)(context => Guard(async () =>
        {
            var body = await ReadBodyAsync(context) ?? new JsonObject();
            var (layout, from, to) = TakeoutArguments(body["layout"]?.GetValue<string>(), body["from"]?.GetValue<string>(), body["to"]?.GetValue<string>(), clock);
            var zip = new MemoryStream();
            Data.TakeoutWriter.Write(person, zip, from, to, layout);
            return Results.Bytes(zip.ToArray(), "application/zip", $"takeout-{from:yyyyMMdd}-{to:yyyyMMdd}-001.zip");
        })));

        app.MapGet(p + "/client-secrets", () => Results.Text(oauth.ClientSecretsJson(), "application/json"));
    }

    /// <summary>Layout ("GoogleHealth"/"2026" or "Fitbit"/"legacy") and days of a Takeout; defaults: the 2026 layout, the 30
    /// complete days before the clock's today (UTC). Shared by POST /_emulator/takeout and --write-takeout.</summary>
    internal static (Data.TakeoutLayout Layout, DateOnly From, DateOnly To) TakeoutArguments(string? layout, string? from, string? to, EmulatorClock clock)
    {
        var kind = (layout ?? "GoogleHealth").ToLowerInvariant() switch
        {
            "googlehealth" or "2026" => Data.TakeoutLayout.GoogleHealth,
            "fitbit" or "legacy" => Data.TakeoutLayout.Fitbit,
            _ => throw new ArgumentException($"Takeout layout '{layout}': use GoogleHealth (2026) or Fitbit (legacy)."),
        };
        static DateOnly Day(string text, string name) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ArgumentException($"Takeout {name} '{text}': use YYYY-MM-DD.");
        var last = to == null ? DateOnly.FromDateTime(clock.UtcNow.UtcDateTime).AddDays(-1) : Day(to, "to");
        var first = from == null ? last.AddDays(-29) : Day(from, "from");
        if (first > last) throw new ArgumentException($"Takeout from {first:yyyy-MM-dd} is after to {last:yyyy-MM-dd}.");
        return (kind, first, last);
    }

    /// <summary>A field of the wrong JSON type or an unknown client is the script's mistake: 400 with the reason.</summary>
    private static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            return BadRequest(ex.Message);
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");

    private static IResult BadRequest(string message) =>
        Results.Text(new JsonObject { ["error"] = message }.ToJsonString(), "application/json", statusCode: 400);
}
