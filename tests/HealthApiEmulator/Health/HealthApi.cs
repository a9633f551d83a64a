using System.Globalization;
using System.Text.Json;
using HealthApiEmulator.Data;
using HealthApiEmulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HealthApiEmulator.Health;

/// <summary>
/// /v4/users/{user}/… endpoints. (Owned by the Health/data side.)
/// <list type="bullet">
/// <item>GET dataTypes/{type}/dataPoints (list), GET …/dataPoints:reconcile, POST …/dataPoints:rollUp,
/// POST …/dataPoints:dailyRollUp, GET …/dataPoints/{id} (identifiable types);</item>
/// <item>GET users/me/identity, /profile, /settings, /pairedDevices.</item>
/// </list>
/// As strict and untidy as the live API (google-health-live-evidence.md, see README "Live strictness"): list
/// pages short or empty with a token, "nextPageToken": "" on the last page, {} for nothing, points lost at page
/// boundaries; roll-up pageSize a bound, never a page; roll-up windows without data skipped, newest first.
/// </summary>
internal static class HealthApi
{
    public static void Map(WebApplication app, EmulatorOptions options, EmulatorClock clock, SyntheticPerson person, PagingCounters paging)
    {
        var api = new HealthService(person, clock, options, paging);
        app.MapGet("/v4/users/{user}/dataTypes/{type}/{action}", ctx => api.Run(ctx, api.DataPointsGet));
        app.MapPost("/v4/users/{user}/dataTypes/{type}/{action}", ctx => api.Run(ctx, api.DataPointsPost));
        app.MapGet("/v4/users/{user}/dataTypes/{type}/dataPoints/{id}", ctx => api.Run(ctx, api.GetPoint));
        app.MapGet("/v4/users/{user}/identity", ctx => api.Run(ctx, api.Identity));
        app.MapGet("/v4/users/{user}/profile", ctx => api.Run(ctx, api.Profile));
        app.MapGet("/v4/users/{user}/settings", ctx => api.Run(ctx, api.Settings));
        app.MapGet("/v4/users/{user}/pairedDevices", ctx => api.Run(ctx, api.PairedDevices));
    }
}

internal sealed class HealthService(SyntheticPerson person, EmulatorClock clock, EmulatorOptions options, PagingCounters paging)
{
    private const string Service = "google.devicesandservices.health.v4.";
    [ThreadStatic] private static List<RawPoint>? t_buffer; // Page() is synchronous: safe to reuse per thread
    private readonly PageTokens _tokens = new();

    public async Task Run(HttpContext ctx, Func<HttpContext, AuthenticatedCaller, Task> handler)
    {
        try
        {
            if (ctx.Items[AuthenticatedCaller.ItemKey] is not AuthenticatedCaller caller)
                throw GoogleError.Unauthenticated("Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.");
            await handler(ctx, caller);
        }
        catch (GoogleError e)
        {
            if (!ctx.Response.HasStarted) await e.WriteAsync(ctx.Response);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ctx.Response.HasStarted)
        {
            // An emulator bug: answer like Google's 500 rather than an empty body, with the cause for the test log.
            await new GoogleError(500, "INTERNAL", "Internal error encountered. (emulator: " + e.GetType().Name + ": " + e.Message + ")").WriteAsync(ctx.Response);
        }
    }

    // ------------------------------------------------------------------ checks

    private static GoogleError InvalidArgument() => GoogleError.InvalidArgument("Request contains an invalid argument.");

    private void CheckUserAndAccount(HttpContext ctx, bool numericSelfAllowed = false)
    {
        // Observed quirk: names carry the numeric id, but a numeric parent is refused (400, no details).
        // A point's own name (users/{numeric id}/…/dataPoints/{id}, as list returns it) works with get.
        var user = (string?)ctx.Request.RouteValues["user"];
        if (numericSelfAllowed && user == person.Options.HealthUserId) user = "me";
        if (user != "me") throw InvalidArgument();
        if (!person.Options.AccountLinked)
            throw GoogleError.AccountNotLinked();
    }

    private static void RequireAnyScope(AuthenticatedCaller caller, IEnumerable<string> scopes, string method)
    {
        if (!scopes.Any(caller.HasScope))
            throw GoogleError.PermissionDenied("Request had insufficient authentication scopes.", "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                new Dictionary<string, string> { ["service"] = "health.googleapis.com", ["method"] = Service + method });
    }

    private DataTypeInfo Resolve(HttpContext ctx, AuthenticatedCaller caller, Ops op, string method)
    {
        RequireAnyScope(caller, DataTypes.ReadMethodScopes, method);
        CheckUserAndAccount(ctx, numericSelfAllowed: op == Ops.Get);
        var id = (string?)ctx.Request.RouteValues["type"] ?? "";
        if (!DataTypes.ById.TryGetValue(id, out var type))
            throw GoogleError.InvalidArgument("Request contains an invalid argument.", "INVALID_PARENT_DATA_TYPE_COLLECTION",
                new List<(string, string)> { ("parent", $"Invalid data type ID '{id}' referenced in the parent data type collection.") });
        if (!type.Supports(op))
        {
            // Evidence §1.4 (haelan, 2026-08-22): "<Method> is not supported for data type X, but the following
            // actions are supported: …" with the allowed set in metadata.allowed_actions.
            var allowed = string.Join(", ", type.AllowedActions);
            throw GoogleError.InvalidArgument($"{ActionName(op)} is not supported for data type {type.Id}, but the following actions are supported: {allowed}",
                "UNSUPPORTED_DATA_TYPE_ACTION", metadata: new Dictionary<string, string> { ["allowed_actions"] = allowed });
        }
        if (!caller.HasScope(type.Scope))
            throw GoogleError.PermissionDenied($"Reading data type '{type.Id}' requires the OAuth scope {type.Scope}.", "MISSING_OAUTH_SCOPE",
                new Dictionary<string, string> { ["service"] = "health.googleapis.com", ["method"] = Service + method, ["requiredScope"] = type.Scope });
        return type;
    }

    /// <summary>The action as Google capitalises it in the refusal ("List", "DailyRollup").</summary>
    private static string ActionName(Ops op) => op switch
    {
        Ops.List => "List", Ops.Get => "Get", Ops.Reconcile => "Reconcile", Ops.RollUp => "Rollup", _ => "DailyRollup",
    };

    private static string? Query(HttpContext ctx, string camel, string snake)
    {
        var q = ctx.Request.Query;
        if (q.TryGetValue(camel, out var v) && v.Count > 0) return v[0];
        if (q.TryGetValue(snake, out v) && v.Count > 0) return v[0];
        return null;
    }

    private static int PageSize(string? raw, DataTypeInfo type, string field = "pageSize")
    {
        if (string.IsNullOrEmpty(raw)) return type.DefaultPageSize;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            throw GoogleError.InvalidArgument($"Invalid value at 'page_size' (TYPE_INT32), \"{raw}\"", null, new List<(string, string)> { ("page_size", $"Invalid value at 'page_size' (TYPE_INT32), \"{raw}\"") });
        if (n < 0) throw GoogleError.InvalidArgument("page_size must not be negative.", null, new List<(string, string)> { (field, "Must not be negative.") });
        return n == 0 ? type.DefaultPageSize : Math.Min(n, type.MaxPageSize);
    }

    private static async Task WriteJson(HttpContext ctx, Action<Utf8JsonWriter> body)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=UTF-8";
        await using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter))
            body(w);
        await ctx.Response.BodyWriter.FlushAsync();
    }

    // ------------------------------------------------------------------ data points

    public Task DataPointsGet(HttpContext ctx, AuthenticatedCaller caller)
    {
        var action = (string?)ctx.Request.RouteValues["action"];
        return action switch
        {
            "dataPoints" => ListOrReconcile(ctx, caller, reconciled: false),
            "dataPoints:reconcile" => ListOrReconcile(ctx, caller, reconciled: true),
            _ => throw GoogleError.NotFound("The requested URL was not found on this server."),
        };
    }

    public Task DataPointsPost(HttpContext ctx, AuthenticatedCaller caller)
    {
        var action = (string?)ctx.Request.RouteValues["action"];
        return action switch
        {
            "dataPoints:rollUp" => RollUp(ctx, caller),
            "dataPoints:dailyRollUp" => DailyRollUp(ctx, caller),
            _ => throw GoogleError.NotFound("The requested URL was not found on this server."),
        };
    }

    private async Task ListOrReconcile(HttpContext ctx, AuthenticatedCaller caller, bool reconciled)
    {
        var method = reconciled ? "DataPointsService.ReconcileDataPoints" : "DataPointsService.ListDataPoints";
        var type = Resolve(ctx, caller, reconciled ? Ops.Reconcile : Ops.List, method);
        var filter = DataPointFilter.Parse(ctx.Request.Query["filter"].FirstOrDefault(), type);
        var pageSize = PageSize(Query(ctx, "pageSize", "page_size"), type);
        var familyText = Query(ctx, "dataSourceFamily", "data_source_family");
        // Evidence §1.8: dataSourceFamily on sleep list fails with INVALID_ARGUMENT ("For `sleep`, use
        // ReconcileDataPoints instead", Discovery and the 2026-10-14 release note, index id 70752076887).
        if (!reconciled && type.Id == "sleep" && !string.IsNullOrEmpty(familyText))
            throw GoogleError.InvalidArgument("dataSourceFamily is not supported when listing sleep data points. For sleep, use ReconcileDataPoints instead.",
                null, new List<(string, string)> { ("data_source_family", "Not supported for data type sleep in ListDataPoints; use ReconcileDataPoints.") });
        var family = PointSource.ParseFamily(familyText);
        var fingerprint = PageTokens.Fingerprint(method, type.Id, filter.Text, familyText ?? "");
        var tokenText = Query(ctx, "pageToken", "page_token");
        var cursor = string.IsNullOrEmpty(tokenText) ? default : _tokens.Read(tokenText, fingerprint);
        // Evidence §1.2 (kkdev92 docs/operations.md): resuming from a timestamp-only token drops the points that
        // shared the timestamp of the previous page's last point and were not on it.
        paging.AddSkipped(type.Id, cursor.Skipped);
        (long Key, int Tie)? after = cursor.HasPosition ? (cursor.Key, cursor.Tie) : null;
        if (type.Id == "heart-rate" && filter.Fields.Contains(FilterField.SampleCivil) && !options.HeartRateCivilFilterWorks)
        {
            // Accepted, and no points at all (HeartRateCivilFilterWorks; UNCONFIRMED, see EmulatorOptions).
            await WriteJson(ctx, w => { w.WriteStartObject(); w.WriteEndObject(); });
            return;
        }

        var budget = PageBudget(type, fingerprint, cursor.Page, pageSize, out var empty);
        var page = Page(type, filter, family, reconciled, empty ? 0 : budget, after, out var more, out var sameKeyLeft);
        string? next = null;
        if (more)
        {
            var nextCursor = page.Count == 0
                ? cursor with { Page = cursor.Page + 1, Skipped = 0 } // an empty page: same position, next page
                : options.PageBoundaryLoss
                    ? new PageCursor(true, page[^1].Key, PageCursor.NoTie, cursor.Page + 1, sameKeyLeft)
                    : new PageCursor(true, page[^1].Key, page[^1].Tie, cursor.Page + 1, 0);
            next = _tokens.Create(fingerprint, nextCursor);
            if (page.Count == 0) paging.AddEmptyPage();
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=UTF-8";
        var pipe = ctx.Response.BodyWriter;
        await using var w = new Utf8JsonWriter(pipe);
        w.WriteStartObject();
        // proto3 JSON omits an empty repeated field: an empty result is exactly {} (evidence §1.2), and an empty
        // page that still has a token carries no dataPoints member (prinse84/fit-gauge issue 3).
        if (page.Count > 0)
        {
            w.WriteStartArray("dataPoints");
            for (var i = 0; i < page.Count; i++)
            {
                PointWriter.Point(w, type, page[i], person, reconciled);
                if (i % 1000 == 999)
                {
                    // stream big pages instead of buffering megabytes
                    w.Flush();
                    await pipe.FlushAsync(ctx.RequestAborted);
                }
            }
            w.WriteEndArray();
        }
        // Google sends "nextPageToken": "" on a complete response (evidence §1.2: codelab exercise list, ansanloms
        // sleep capture); only a response with nothing in it at all is {}.
        if (next != null || page.Count > 0) w.WriteString("nextPageToken", next ?? "");
        w.WriteEndObject();
        w.Flush();
        await pipe.FlushAsync(ctx.RequestAborted);
    }

    /// <summary>How many points page <paramref name="pageIndex"/> of a query may hold, and whether it is one of the
    /// empty pages (evidence §0.4, §1.2, §6.3; haelan fetch-samples.mjs / field-map.md: 5,000 heart-rate and
    /// active-energy-burned points at pageSize=10000, 937 steps, 1,586 distance, 1,114 active-minutes, each with a
    /// token; prinse84/fit-gauge: "a page can come back empty but still carry a nextPageToken"). Deterministic:
    /// a hash of the query fingerprint and the page index.</summary>
    internal int PageBudget(DataTypeInfo type, ulong fingerprint, int pageIndex, int pageSize, out bool empty)
    {
        empty = false;
        if (!options.ShortPages) return pageSize;
        if (type.Dense) return Math.Min(pageSize, 5000);
        var h = Rng.Mix(fingerprint ^ Rng.Mix((ulong)(uint)pageIndex + 0x51ED270B27E1A3C5UL));
        empty = h % 7 == 3; // about one page in seven; never the last (an empty page is only sent when more follow)
        var spread = (int)((h >> 16) % 1000);
        var budget = type.Id switch
        {
            "steps" => 900 + spread % 101,
            "distance" => 1500 + spread % 101,
            "active-minutes" => 1080 + spread % 71,
            "sleep" or "exercise" => 17 + spread % 9,
            _ => 1000 + spread % 601,
        };
        return Math.Min(pageSize, budget);
    }

    /// <summary>Newest-first page of at most <paramref name="pageSize"/> points after the token position;
    /// <paramref name="more"/> when at least one more matches, <paramref name="sameKeyLeft"/> how many of those
    /// share the timestamp (Key) of the page's last point (the ones a timestamp-only token loses).</summary>
    internal List<RawPoint> Page(DataTypeInfo type, DataPointFilter filter, SourceFamily family, bool reconciled, int pageSize,
        (long Key, int Tie)? after, out bool more, out int sameKeyLeft)
    {
        var cutoff = person.CutoffUnix;
        var (lo, hi) = filter.Bounds;
        var timeline = person.Timeline;
        var membership = person.Options.MembershipStart;
        var earliest = membership.AddDays(-1);
        if (type.Id is "weight" or "body-fat")
        {
            var manual = person.ManualWeighIns(long.MinValue, long.MaxValue);
            if (manual.Count > 0) earliest = DateOnly.FromDayNumber(Math.Min(earliest.DayNumber, timeline.BlockOf(manual.Min(m => m.At.ToUnixTimeSeconds())).DayNumber));
        }
        var earliestStart = timeline.DayStart(earliest);
        more = false;
        sameKeyLeft = 0;
        var page = new List<RawPoint>(Math.Min(pageSize, 10000));
        // entirely before the person's history or after now (also keeps dates within DateTime's range)
        if (hi <= earliestStart || lo > cutoff + 86400) return page;
        var low = lo <= earliestStart ? earliest : timeline.BlockOf(lo);
        var high = timeline.BlockOf(Math.Min(hi, cutoff + 86400));
        if (after is { } a)
        {
            var resume = type.Kind == RecordKind.Daily ? DateOnly.FromDayNumber((int)a.Key) : timeline.BlockOf(a.Key);
            if (resume.AddDays(1) < high) high = resume.AddDays(1);
        }

        var buffer = t_buffer ??= new List<RawPoint>(8192);
        for (var d = high; d >= low; d = d.AddDays(-1))
        {
            buffer.Clear();
            PointSource.Collect(person, type, person.Block(d), family, reconciled, cutoff, buffer);
            for (var i = buffer.Count - 1; i >= 0; i--)
            {
                var p = buffer[i];
                // PageCursor.NoTie skips every point sharing the position's Key (the live boundary loss)
                if (after is { } pos && (p.Key > pos.Key || (p.Key == pos.Key && p.Tie >= pos.Tie))) continue;
                if (!filter.Matches(p)) continue;
                if (page.Count == pageSize)
                {
                    more = true;
                    if (page.Count > 0)
                    {
                        // points sharing a Key are neighbours in this block's buffer
                        var last = page[^1].Key;
                        for (var j = i; j >= 0 && buffer[j].Key == last; j--)
                            if (filter.Matches(buffer[j])) sameKeyLeft++;
                    }
                    return page;
                }
                page.Add(p);
            }
        }
        return page;
    }

    public async Task GetPoint(HttpContext ctx, AuthenticatedCaller caller)
    {
        var type = Resolve(ctx, caller, Ops.Get, "DataPointsService.GetDataPoint");
        var idText = (string?)ctx.Request.RouteValues["id"] ?? "";
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !PointIds.TryDay(id, out var day))
            throw GoogleError.NotFound($"Data point 'users/me/dataTypes/{type.Id}/dataPoints/{idText}' was not found.");
        var buffer = new List<RawPoint>();
        PointSource.Collect(person, type, person.Block(day), SourceFamily.AllSources, reconciled: false, person.CutoffUnix, buffer);
        foreach (var p in buffer)
        {
            if (p.L1 != id) continue;
            await WriteJson(ctx, w => PointWriter.Point(w, type, p, person, reconciled: false));
            return;
        }
        throw GoogleError.NotFound($"Data point 'users/me/dataTypes/{type.Id}/dataPoints/{idText}' was not found.");
    }

    // ------------------------------------------------------------------ roll-ups

    private static async Task<JsonElement> ReadBody(HttpContext ctx, string[] topLevel, Func<string, string[]?> nested)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
        }
        catch (JsonException e)
        {
            var message = $"Invalid JSON payload received. {e.Message}";
            throw GoogleError.InvalidArgument(message, null, new List<(string, string)> { ("", message) });
        }
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw GoogleError.InvalidArgument("Invalid JSON payload received. Expected an object.", null, new List<(string, string)> { ("", "Invalid JSON payload received. Expected an object.") });
        var violations = new List<(string, string)>();
        void Walk(JsonElement e, string path, string[] allowed)
        {
            foreach (var prop in e.EnumerateObject())
            {
                var name = Camel(prop.Name);
                if (!allowed.Contains(name))
                {
                    violations.Add((path, path.Length == 0
                        ? $"Invalid JSON payload received. Unknown name \"{prop.Name}\": Cannot find field."
                        : $"Invalid JSON payload received. Unknown name \"{prop.Name}\" at '{path}': Cannot find field."));
                    continue;
                }
                var childPath = path.Length == 0 ? name : path + "." + name;
                if (nested(childPath) is { } children && prop.Value.ValueKind == JsonValueKind.Object) Walk(prop.Value, childPath, children);
            }
        }
        Walk(root, "", topLevel);
        if (violations.Count > 0)
            throw GoogleError.InvalidArgument(string.Join("\n", violations.Select(v => v.Item2)), null, violations);
        return root.Clone();
    }

    /// <summary>proto3 JSON parsers accept the proto (snake_case) names too.</summary>
    private static string Camel(string name)
    {
        if (!name.Contains('_')) return name;
        var parts = name.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static bool TryGet(JsonElement e, string camel, out JsonElement value)
    {
        foreach (var p in e.EnumerateObject())
            if (Camel(p.Name) == camel) { value = p.Value; return true; }
        value = default;
        return false;
    }

    private static GoogleError BadField(string field, string description)
        => GoogleError.InvalidArgument(description, null, new List<(string, string)> { (field, description) });

    private static long Int(JsonElement e, string field)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n)) return n;
        if (e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        throw BadField(field, $"Invalid value at '{field}' (TYPE_INT32), {e.GetRawText()}");
    }

    private static int Int32Field(JsonElement e, string field)
    {
        var n = Int(e, field);
        if (n is < int.MinValue or > int.MaxValue) throw BadField(field, $"Invalid value at '{field}' (TYPE_INT32), {e.GetRawText()}");
        return (int)n;
    }

    private static string? Str(JsonElement body, string name)
        => TryGet(body, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Days(double days) => days.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Evidence §0.1, §1.1 "Range cap error": 400 INVALID_ARGUMENT, ErrorInfo reason
    /// INVALID_ROLLUP_QUERY_DURATION with metadata maxDurationDays (a string). The message text is ours.</summary>
    private static GoogleError RollupDuration(DataTypeInfo type, string message)
        => GoogleError.InvalidArgument(message, "INVALID_ROLLUP_QUERY_DURATION",
            metadata: new Dictionary<string, string> { ["maxDurationDays"] = type.MaxRollupDays.ToString(CultureInfo.InvariantCulture) });

    /// <summary>A range longer than the type's cap (14 or 90 days; the cap itself is allowed: a 90-day floors
    /// request succeeded live, evidence §1.1).</summary>
    private static void CheckRange(DataTypeInfo type, double days)
    {
        if (days > type.MaxRollupDays)
            throw RollupDuration(type, $"The roll-up range of {Days(days)} days exceeds the maximum duration of {type.MaxRollupDays} days for data type {type.Id}.");
    }

    /// <summary>Evidence §0.1, §1.1, §6.1: pageSize bounds a roll-up query, it never pages it. A given
    /// pageSize above floor(cap / window) is refused, even for a one-day range.</summary>
    private static void CheckPageSizeCeiling(DataTypeInfo type, int pageSize, long windowSeconds, string windowLabel)
    {
        var ceiling = type.MaxRollupDays * 86400L / windowSeconds;
        if (pageSize > ceiling)
            throw RollupDuration(type, $"page_size ({pageSize}) x {windowLabel} = {Days(pageSize * (double)windowSeconds / 86400)} days exceeds the maximum duration of {type.MaxRollupDays} days for data type {type.Id}.");
    }

    /// <summary>Roll-ups never issue a page token (evidence §1.1: no response in 19 requests carried one), so any
    /// token presented is one the API never issued.</summary>
    private static void RefusePageToken(JsonElement body)
    {
        if (Str(body, "pageToken") is { Length: > 0 })
            throw GoogleError.InvalidArgument("Invalid page token.", null, new List<(string, string)> { ("pageToken", "Invalid page token.") });
    }

    private async Task RollUp(HttpContext ctx, AuthenticatedCaller caller)
    {
        const string method = "DataPointsService.RollUpDataPoints";
        var type = Resolve(ctx, caller, Ops.RollUp, method);
        var body = await ReadBody(ctx, new[] { "range", "windowSize", "pageSize", "pageToken", "dataSourceFamily" },
            p => p == "range" ? new[] { "startTime", "endTime" } : null);
        if (!TryGet(body, "range", out var range) || range.ValueKind != JsonValueKind.Object) throw BadField("range", "range is required.");
        long Time(string name)
        {
            var text = TryGet(range, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (text == null) throw BadField("range." + name, $"range.{name} is required.");
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) || !text.Contains('T'))
                throw BadField("range." + name, $"Invalid value at 'range.{name}' (type.googleapis.com/google.protobuf.Timestamp), Field 'range.{name}', Invalid time format: \"{text}\"");
            return t.ToUnixTimeSeconds();
        }
        var start = Time("startTime");
        var end = Time("endTime");
        if (end <= start) throw BadField("range", "range.endTime must be after range.startTime.");
        var windowText = Str(body, "windowSize");
        if (windowText == null) throw BadField("windowSize", "windowSize is required.");
        if (!windowText.EndsWith('s') || !double.TryParse(windowText[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var windowSeconds))
            throw BadField("windowSize", $"Invalid value at 'window_size' (type.googleapis.com/google.protobuf.Duration), Field 'windowSize', Illegal duration format; duration must end with 's': \"{windowText}\"");
        if (windowSeconds < 1) throw BadField("windowSize", "windowSize must be at least 1 second.");
        var window = (long)windowSeconds;
        var pageSize = TryGet(body, "pageSize", out var ps) ? Int32Field(ps, "page_size") : 0;
        if (pageSize < 0) throw BadField("pageSize", "page_size must not be negative.");
        // pageSize 0 is proto3's "unset": then the implied value ceil(range / window) must be within the ceiling
        // too (evidence §6.1 "It applies to the implied value too"; UNCONFIRMED for windows that do not divide
        // the cap, so the stricter reading: 14 days of 5-hour windows implies 68 > floor(336 h / 5 h) = 67).
        CheckPageSizeCeiling(type, pageSize > 0 ? pageSize : (int)Math.Min(int.MaxValue, (end - start + window - 1) / window), window, $"window_size ({windowText})");
        CheckRange(type, (end - start) / 86400.0);
        RefusePageToken(body);
        var family = PointSource.ParseFamily(Str(body, "dataSourceFamily"));

        // rollUp never pages (evidence §1.1): every window of the range with data, newest first, no nextPageToken.
        var cutoff = person.CutoffUnix;
        var accs = new Dictionary<long, RollupAcc>();
        var membershipStart = person.Timeline.DayStart(person.Options.MembershipStart.AddDays(-1));
        if (end > membershipStart && start <= cutoff)
        {
            var d = person.Timeline.BlockOf(Math.Min(end, cutoff + 60) - 1);
            var lowest = person.Timeline.BlockOf(Math.Max(start, membershipStart));
            var contributions = new List<Contribution>();
            for (; d >= lowest.AddDays(-1); d = d.AddDays(-1))
            {
                contributions.Clear();
                Rollups.Contribute(person, type, person.Block(d), family, cutoff, contributions);
                foreach (var c in contributions)
                {
                    if (c.Time < start || c.Time >= end) continue;
                    var index = (c.Time - start) / window;
                    if (!accs.TryGetValue(index, out var acc)) accs[index] = acc = new RollupAcc();
                    acc.Add(c);
                }
            }
        }
        var indexes = accs.Keys.ToArray();
        Array.Sort(indexes);
        await WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rollupDataPoints");
            for (var i = indexes.Length - 1; i >= 0; i--)
            {
                var index = indexes[i];
                w.WriteStartObject();
                PointWriter.Timestamp(w, "startTime", start + index * window);
                PointWriter.Timestamp(w, "endTime", Math.Min(end, start + (index + 1) * window));
                Rollups.WriteValue(w, type, accs[index]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static long CivilSeconds(JsonElement civil, string field)
    {
        if (civil.ValueKind != JsonValueKind.Object) throw BadField(field, $"{field} must be a CivilDateTime object.");
        if (!TryGet(civil, "date", out var date) || date.ValueKind != JsonValueKind.Object) throw BadField(field + ".date", $"{field}.date is required.");
        int Part(JsonElement o, string name, string path) => TryGet(o, name, out var v) ? Int32Field(v, path + "." + name) : 0;
        var year = Part(date, "year", field + ".date"); var month = Part(date, "month", field + ".date"); var day = Part(date, "day", field + ".date");
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            throw BadField(field + ".date", $"Invalid date in {field}.date: {year}-{month}-{day}.");
        long seconds = (new DateOnly(year, month, day).DayNumber - 719162L) * 86400;
        if (TryGet(civil, "time", out var time) && time.ValueKind == JsonValueKind.Object)
        {
            var h = Part(time, "hours", field + ".time"); var m = Part(time, "minutes", field + ".time"); var s = Part(time, "seconds", field + ".time");
            if (h is < 0 or > 23 || m is < 0 or > 59 || s is < 0 or > 59) throw BadField(field + ".time", $"Invalid time in {field}.time.");
            seconds += h * 3600 + m * 60 + s;
        }
        return seconds;
    }

    private async Task DailyRollUp(HttpContext ctx, AuthenticatedCaller caller)
    {
        const string method = "DataPointsService.DailyRollUpDataPoints";
        var type = Resolve(ctx, caller, Ops.DailyRollUp, method);
        var civilFields = new[] { "date", "time" };
        var body = await ReadBody(ctx, new[] { "range", "windowSizeDays", "pageSize", "pageToken", "dataSourceFamily" }, p => p switch
        {
            "range" => new[] { "start", "end" },
            "range.start" or "range.end" => civilFields,
            "range.start.date" or "range.end.date" => new[] { "year", "month", "day" },
            "range.start.time" or "range.end.time" => new[] { "hours", "minutes", "seconds", "nanos" },
            _ => null,
        });
        if (!TryGet(body, "range", out var range) || range.ValueKind != JsonValueKind.Object) throw BadField("range", "range is required.");
        if (!TryGet(range, "start", out var startEl)) throw BadField("range.start", "range.start is required.");
        if (!TryGet(range, "end", out var endEl)) throw BadField("range.end", "range.end is required.");
        var start = CivilSeconds(startEl, "range.start");
        var end = CivilSeconds(endEl, "range.end");
        if (end <= start) throw BadField("range", "range.end must be after range.start.");
        var windowDays = TryGet(body, "windowSizeDays", out var wd) ? Int32Field(wd, "window_size_days") : 0;
        if (windowDays < 0) throw BadField("windowSizeDays", "window_size_days must not be negative.");
        if (windowDays == 0) windowDays = 1;
        if (start % 86400 != 0)
            throw BadField("range.start", "The start time must be aligned with the aggregation window (civil midnight).");
        var pageSize = TryGet(body, "pageSize", out var ps) ? Int32Field(ps, "page_size") : 0;
        if (pageSize < 0) throw BadField("pageSize", "page_size must not be negative.");
        var window = windowDays * 86400L;
        var count = (end - start + window - 1) / window;
        if (pageSize > 0) CheckPageSizeCeiling(type, pageSize, window, $"window_size_days ({windowDays})");
        CheckRange(type, (end - start) / 86400.0);
        // Evidence §1.1 (haelan, kkdev92): a given pageSize must cover every window of the range.
        if (pageSize > 0 && pageSize < count)
            throw GoogleError.InvalidArgument(
                $"page_size ({pageSize}) is too small. Must be at least {count} to cover the requested range with a window_size_days of {windowDays}.",
                "INVALID_DATA_POINT_NAME");
        RefusePageToken(body);
        var family = PointSource.ParseFamily(Str(body, "dataSourceFamily"));
        var accs = new RollupAcc?[count];

        var cutoff = person.CutoffUnix;
        // blocks one day either side of the civil range (offsets), within the person's history
        var firstDay = DateOnly.FromDayNumber((int)Math.Max(start / 86400 + 719162 - 1, person.Options.MembershipStart.DayNumber - 1));
        var lastDay = DateOnly.FromDayNumber((int)Math.Min((end - 1) / 86400 + 719162 + 1, DateOnly.MaxValue.DayNumber - 2));
        var contributions = new List<Contribution>();
        var today = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(cutoff).UtcDateTime).AddDays(1);
        if (lastDay > today) lastDay = today;
        for (var d = firstDay; d <= lastDay; d = d.AddDays(1))
        {
            var b = person.Block(d);
            if (b.Start > cutoff) break;
            contributions.Clear();
            Rollups.Contribute(person, type, b, family, cutoff, contributions);
            foreach (var c in contributions)
            {
                var civil = c.Time + c.Offset;
                if (civil < start || civil >= end) continue;
                var i = (civil - start) / window;
                (accs[i] ??= new RollupAcc()).Add(c);
            }
        }
        await WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("rollupDataPoints");
            for (var i = count - 1; i >= 0; i--)
            {
                if (accs[i] is not { Any: true } acc) continue;
                w.WriteStartObject();
                PointWriter.Civil(w, "civilStartTime", start + i * window);
                PointWriter.Civil(w, "civilEndTime", Math.Min(end, start + (i + 1) * window));
                Rollups.WriteValue(w, type, acc);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // ------------------------------------------------------------------ users/me

    public Task Identity(HttpContext ctx, AuthenticatedCaller caller)
    {
        RequireAnyScope(caller, DataTypes.IdentityScopes, "HealthProfileService.GetIdentity");
        CheckUserAndAccount(ctx);
        return WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", "users/me/identity");
            w.WriteString("legacyUserId", person.Options.LegacyUserId);
            w.WriteString("healthUserId", person.Options.HealthUserId);
            w.WriteEndObject();
        });
    }

    public Task Profile(HttpContext ctx, AuthenticatedCaller caller)
    {
        RequireAnyScope(caller, new[] { Scopes.Profile }, "HealthProfileService.GetProfile");
        CheckUserAndAccount(ctx);
        var today = DateOnly.FromDateTime(person.CivilTimeAt(clock.UtcNow));
        return WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", "users/me/profile");
            w.WriteNumber("age", person.AgeOn(today));
            PointWriter.Date(w, "membershipStartDate", person.Options.MembershipStart);
            w.WriteNumber("userConfiguredWalkingStrideLengthMm", 740);
            w.WriteNumber("userConfiguredRunningStrideLengthMm", 1100);
            w.WriteEndObject();
        });
    }

    public Task Settings(HttpContext ctx, AuthenticatedCaller caller)
    {
        RequireAnyScope(caller, new[] { Scopes.Settings }, "HealthProfileService.GetSettings");
        CheckUserAndAccount(ctx);
        var now = clock.UtcNow;
        var offset = (long)person.Timeline.Home.GetUtcOffset(now).TotalSeconds;
        return WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", "users/me/settings");
            w.WriteBoolean("autoStrideEnabled", true);
            w.WriteString("distanceUnit", "DISTANCE_UNIT_MILES");
            w.WriteString("foodLanguageCode", "en-US");
            w.WriteString("glucoseUnit", "GLUCOSE_UNIT_MG_DL");
            w.WriteString("heightUnit", "HEIGHT_UNIT_INCHES");
            w.WriteString("languageLocale", "en-US");
            w.WriteString("strideLengthRunningType", "STRIDE_LENGTH_TYPE_DEFAULT");
            w.WriteString("strideLengthWalkingType", "STRIDE_LENGTH_TYPE_DEFAULT");
            w.WriteString("temperatureUnit", "TEMPERATURE_UNIT_FAHRENHEIT");
            w.WriteString("timeZone", person.Options.TimeZone);
            PointWriter.Duration(w, "utcOffset", offset);
            w.WriteString("waterUnit", "WATER_UNIT_FL_OZ");
            w.WriteString("weightUnit", "WEIGHT_UNIT_POUNDS");
            w.WriteEndObject();
        });
    }

    public Task PairedDevices(HttpContext ctx, AuthenticatedCaller caller)
    {
        // Evidence §0.5, §1.7: users.pairedDevices.list needs googlehealth.settings.readonly (Discovery 20260525 and
        // 20260805; "confirmed live", AbemKW/fitbit-mcp README; index id 66854496898).
        RequireAnyScope(caller, new[] { Scopes.Settings }, "HealthProfileService.ListPairedDevices");
        CheckUserAndAccount(ctx);
        return WriteJson(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("pairedDevices");
            w.WriteStartObject();
            w.WriteString("name", "users/me/pairedDevices/" + (PointIds.Make(person.Seed, 11, person.Options.MembershipStart, 0) % 1_000_000_000).ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("batteryLevel", 40 + (int)(clock.UtcNow.ToUnixTimeSeconds() / 3600 % 60));
            w.WriteString("batteryStatus", "High");
            w.WriteString("deviceType", "TRACKER");
            w.WriteString("deviceVersion", person.Options.WatchName);
            w.WriteStartArray("features");
            foreach (var f in new[] { "STEPS", "DISTANCE", "CALORIES", "HEART_RATE", "SLEEP", "ACTIVE_ZONE_MINUTES", "SPO2", "GPS" }) w.WriteStringValue(f);
            w.WriteEndArray();
            PointWriter.Timestamp(w, "lastSyncTime", person.CutoffUnix);
            w.WriteString("macAddress", "A4:C1:38:5E:22:9B");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
