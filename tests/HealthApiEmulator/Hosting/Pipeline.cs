using System.Text;
using HealthApiEmulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace HealthApiEmulator.Hosting;

/// <summary>Middleware shared by every endpoint, in this order: request log → fault injection → legacy Fitbit 410
/// → Google's HTML 404 for unknown paths → (/v4 only) latency, bearer check, account link, per-user quota.</summary>
internal static class Pipeline
{
    /// <summary>Control API for scripts (standalone); never logged, never faulted, never authenticated.</summary>
    public const string ControlPrefix = "/_emulator";

    private const string AbortedKey = "HealthApiEmulator.Aborted";

    public const string MissingCredentialMessage =
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    public static void Configure(WebApplication app, EmulatorOptions options, EmulatorClock clock,
        OAuth.OAuthServer oauth, FaultPlan faults, RequestLog requests)
    {
        var quota = new PerUserQuota(options.QuotaPerMinute, options.QuotaTimeProvider ?? TimeProvider.System);

        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ControlPrefix, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }
            await LogAsync(context, clock, requests, async () =>
            {
                var fault = faults.Take(context.Request);
                if (fault != null)
                {
                    if (fault.Kind == FaultKind.Latency) await Task.Delay(fault.Latency, context.RequestAborted);
                    else { await InjectAsync(context, fault, oauth, options); return; }
                }

                if (IsLegacyFitbit(context.Request.Path))
                {
                    await WriteGoneAsync(context.Response);
                    return;
                }
                // Routing already ran: no endpoint means Google's front end answers 404 itself, before any auth.
                if (context.GetEndpoint() == null)
                {
                    await GooglePages.WriteAsync(context.Response, 404, GooglePages.NotFound(context.Request.Path.Value ?? "/"));
                    return;
                }
                if (context.Request.Path.StartsWithSegments("/v4", StringComparison.Ordinal))
                {
                    if (options.Latency > TimeSpan.Zero) await Task.Delay(options.Latency, context.RequestAborted);
                    if (!await AuthenticateAsync(context, options, oauth, quota)) return;
                }
                await next(context);
            });
        });
    }

    // ------------------------------------------------------------------ 1. request log

    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "client_secret", "refresh_token", "token", "code_verifier", "access_token", "assertion",
    };

    private static async Task LogAsync(HttpContext context, EmulatorClock clock, RequestLog requests, Func<Task> handle)
    {
        var request = context.Request;
        var at = clock.UtcNow;
        string? body = null;
        if (HttpMethods.IsPost(request.Method))
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            body = await reader.ReadToEndAsync(context.RequestAborted);
            request.Body.Position = 0;
            if (request.HasFormContentType) body = RedactForm(body);
        }
        var query = request.QueryString.HasValue ? RedactForm(request.QueryString.Value!.TrimStart('?')) : "";
        int status = 0;
        try
        {
            await handle();
            status = context.Response.StatusCode;
        }
        finally
        {
            // An aborted connection (injected reset or truncation) answered nothing a client could read: status 0.
            if (context.Items.ContainsKey(AbortedKey) || context.RequestAborted.IsCancellationRequested) status = 0;
            requests.Add(new LoggedRequest(at, request.Method, request.Path.Value ?? "/", query, body, status));
        }
    }

    /// <summary>Tokens, codes and secrets never reach the log: their values are replaced.</summary>
    internal static string RedactForm(string form)
    {
        if (form.Length == 0) return form;
        var parts = form.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? parts[i] : parts[i][..eq]).Replace('+', ' '));
            if (eq >= 0 && SecretFields.Contains(key)) parts[i] = parts[i][..eq] + "=REDACTED";
        }
        return string.Join('&', parts);
    }

    // ------------------------------------------------------------------ 2. faults

    private static async Task InjectAsync(HttpContext context, Fault fault, OAuth.OAuthServer oauth, EmulatorOptions options)
    {
        var response = context.Response;
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                // an injected fault says exactly what it sends: Retry-After: RetryAfterSeconds (0 = no header)
                await GoogleError.ResourceExhausted(QuotaMessage, fault.RetryAfterSeconds > 0 ? TimeSpan.FromSeconds(fault.RetryAfterSeconds) : null,
                    options.QuotaPerMinute > 0 ? options.QuotaPerMinute : 300).WriteAsync(response);
                break;
            case FaultKind.Unavailable:
                await GoogleError.Unavailable().WriteAsync(response);
                break;
            case FaultKind.ConnectionReset:
                // Close the connection before any response byte: the client sees HttpRequestException/IOException.
                context.Items[AbortedKey] = true;
                context.Abort();
                break;
            case FaultKind.TruncatedBody:
                await WritePartialBodyAsync(context, "{\n  \"dataPoints\": [\n    {\n      \"name\": \"users/me/dataTypes/steps/dataPoints/", TimeSpan.Zero);
                break;
            case FaultKind.HtmlErrorPage:
                await GooglePages.WriteAsync(response, fault.HtmlStatus, GooglePages.ServerError(fault.HtmlStatus));
                break;
            case FaultKind.MalformedJson:
                response.StatusCode = 200;
                response.ContentType = "application/json; charset=UTF-8";
                await response.WriteAsync("{\n  \"dataPoints\": [\n    {\"name\": \"users/me/dataTypes/steps/dataPoints/1\", \"steps\": {\"count\": \"12\"}\n  ],\n  \"nextPageToken\": \n");
                break;
            case FaultKind.ExpiredAccessToken:
                if (BearerToken(context.Request) is { } expired) oauth.ExpireAccessToken(expired);
                await WriteUnauthenticatedAsync(response, GoogleError.Unauthenticated(), invalidToken: true);
                break;
            case FaultKind.RevokedToken:
                if (BearerToken(context.Request) is { } revoked) oauth.Revoke(revoked);
                else oauth.RevokeAll();
                await WriteUnauthenticatedAsync(response, GoogleError.Unauthenticated(), invalidToken: true);
                break;
            case FaultKind.PermissionDenied:
                // UNCONFIRMED wording; status and reason as reported live (evidence §1.9, fitbit-grafana issue 79).
                await GoogleError.PermissionDenied("The caller does not have permission", "RESOURCE_PERMISSION_DENIED",
                    new Dictionary<string, string> { ["service"] = "health.googleapis.com" }).WriteAsync(response);
                break;
            case FaultKind.Internal:
                await new GoogleError(500, "INTERNAL", "Internal error encountered.").WriteAsync(response);
                break;
            case FaultKind.StalledBody:
                await WritePartialBodyAsync(context, "{\n  \"dataPoints\": [\n", fault.StallFor);
                break;
            case FaultKind.Respond:
                response.StatusCode = fault.Status;
                if (fault.ContentType != null) response.ContentType = fault.ContentType;
                await response.WriteAsync(fault.Body);
                break;
            default:
                throw new InvalidOperationException($"Fault {fault.Kind} is not a terminal fault.");
        }
    }

    /// <summary>A 200 that promises 4 KB more than it sends: the start of a body, then (after <paramref name="stall"/>, or
    /// when the client gives up) the connection is aborted.</summary>
    private static async Task WritePartialBodyAsync(HttpContext context, string start, TimeSpan stall)
    {
        var bytes = Encoding.UTF8.GetBytes(start);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json; charset=UTF-8";
        response.ContentLength = bytes.Length + 4096;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        if (stall > TimeSpan.Zero)
        {
            try { await Task.Delay(stall, context.RequestAborted); }
            catch (OperationCanceledException) { /* the client gave up */ }
        }
        context.Items[AbortedKey] = true;
        context.Abort();
    }

    // ------------------------------------------------------------------ 3. /v4 bearer check + quota

    private const string QuotaMessage =
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'health.googleapis.com' for consumer 'project_number:123456789012'.";

    private static async Task<bool> AuthenticateAsync(HttpContext context, EmulatorOptions options, OAuth.OAuthServer oauth, PerUserQuota quota)
    {
        var response = context.Response;
        var token = BearerToken(context.Request);
        if (token == null)
        {
            var missing = new GoogleError(401, "UNAUTHENTICATED", MissingCredentialMessage, "CREDENTIALS_MISSING",
                new Dictionary<string, string> { ["service"] = "health.googleapis.com" });
            await WriteUnauthenticatedAsync(response, missing, invalidToken: false);
            return false;
        }
        var grant = oauth.ValidateAccessToken(token);
        if (grant == null)
        {
            await WriteUnauthenticatedAsync(response, GoogleError.Unauthenticated(), invalidToken: true);
            return false;
        }
        if (grant.Scopes.Contains(Scopes.CloudPlatform))
        {
            // UNCONFIRMED wording; the status and reason are from a live test (reference §3.2).
            await GoogleError.PermissionDenied(
                "Request had disallowed OAuth scopes: https://www.googleapis.com/auth/cloud-platform must not be granted for user data operations.",
                "DISALLOWED_OAUTH_SCOPES",
                new Dictionary<string, string> { ["service"] = "health.googleapis.com" }).WriteAsync(response);
            return false;
        }
        if (!options.Person.AccountLinked)
        {
            await GoogleError.AccountNotLinked().WriteAsync(response);
            return false;
        }
        var wait = quota.TryAcquire(grant.HealthUserId);
        if (wait is { } retryAfter)
        {
            // Evidence §1.6: Google documents no Retry-After and Service Control does not emit one (esp-v2 issue 498);
            // QuotaRetryAfter sends the seconds until the minute boundary.
            await GoogleError.ResourceExhausted(QuotaMessage, options.QuotaRetryAfter ? retryAfter : null, options.QuotaPerMinute).WriteAsync(response);
            return false;
        }
        context.Items[AuthenticatedCaller.ItemKey] = new AuthenticatedCaller(grant.HealthUserId, grant.Scopes, grant.ClientId);
        return true;
    }

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static Task WriteUnauthenticatedAsync(HttpResponse response, GoogleError error, bool invalidToken)
    {
        response.Headers[HeaderNames.WWWAuthenticate] = invalidToken
            ? "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""
            : "Bearer realm=\"https://accounts.google.com/\"";
        return error.WriteAsync(response);
    }

    // ------------------------------------------------------------------ 4. legacy Fitbit Web API

    private static bool IsLegacyFitbit(PathString path) =>
        path.StartsWithSegments("/1/user", StringComparison.Ordinal)
        || path.StartsWithSegments("/1.2/user", StringComparison.Ordinal)
        || path.StartsWithSegments("/1.1/user", StringComparison.Ordinal)
        || path.StartsWithSegments("/oauth2/token", StringComparison.Ordinal)
        || path.StartsWithSegments("/oauth2/authorize", StringComparison.Ordinal)
        || path.StartsWithSegments("/oauth2/revoke", StringComparison.Ordinal);

    private static Task WriteGoneAsync(HttpResponse response)
    {
        // UNCONFIRMED body: Fitbit's error shape with a 410; the shutdown date is from the reference (§1).
        response.StatusCode = 410;
        response.ContentType = "application/json; charset=UTF-8";
        return response.WriteAsync(
            "{\"errors\":[{\"errorType\":\"gone\",\"message\":\"The Fitbit Web API was turned off on 2026-11-02. Use the Google Health API (https://health.googleapis.com/v4).\"}],\"success\":false}");
    }
}

/// <summary>Google's per-user quota: N requests per fixed wall-clock minute (UTC, hh:mm:00 to hh:mm+1:00); the count
/// starts again at the minute boundary (evidence §1.6: a quota is refreshed per minute, esp-v2 issue 499). Runs on
/// <see cref="EmulatorOptions.QuotaTimeProvider"/> (real time by default), not on the emulator's data clock.</summary>
internal sealed class PerUserQuota(int perMinute, TimeProvider time)
{
    private readonly Dictionary<string, (long Minute, int Count)> _byUser = new(StringComparer.Ordinal);

    /// <summary>Null when the request may go ahead (and counts); else how long until the quota lifts (≥ 1 s).</summary>
    public TimeSpan? TryAcquire(string user)
    {
        if (perMinute <= 0) return null;
        var now = time.GetUtcNow();
        var minute = (long)Math.Floor(now.ToUnixTimeMilliseconds() / 60000.0);
        lock (_byUser)
        {
            var (at, count) = _byUser.TryGetValue(user, out var entry) ? entry : (minute, 0);
            if (at != minute) count = 0;
            if (count >= perMinute)
            {
                var wait = DateTimeOffset.FromUnixTimeMilliseconds((minute + 1) * 60000) - now;
                return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
            }
            _byUser[user] = (minute, count + 1);
            return null;
        }
    }
}
