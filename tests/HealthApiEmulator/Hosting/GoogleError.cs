using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HealthApiEmulator.Hosting;

/// <summary>Google's error envelope (google.rpc.Status, AIP-193) exactly as health.googleapis.com
/// writes it: {"error":{"code","message","status","details":[ErrorInfo, BadRequest…]}}.</summary>
public sealed class GoogleError : Exception
{
    public int Code { get; }
    public string Status { get; }
    public string? Reason { get; }
    public IReadOnlyDictionary<string, string>? Metadata { get; }
    public IReadOnlyList<(string Field, string Description)>? FieldViolations { get; }
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Links of a google.rpc.Help detail (AIP-193), written after the ErrorInfo.</summary>
    public IReadOnlyList<(string Description, string Url)>? HelpLinks { get; init; }

    public GoogleError(int code, string status, string message, string? reason = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyList<(string Field, string Description)>? fieldViolations = null)
        : base(message)
    {
        Code = code; Status = status; Reason = reason; Metadata = metadata; FieldViolations = fieldViolations;
    }

    public static GoogleError InvalidArgument(string message, string? reason = null,
        IReadOnlyList<(string, string)>? violations = null, IReadOnlyDictionary<string, string>? metadata = null)
        => new(400, "INVALID_ARGUMENT", message, reason, metadata, violations);

    public static GoogleError Unauthenticated(string message =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")
        => new(401, "UNAUTHENTICATED", message);

    public static GoogleError PermissionDenied(string message, string reason, IReadOnlyDictionary<string, string>? metadata = null)
        => new(403, "PERMISSION_DENIED", message, reason, metadata);

    public static GoogleError NotFound(string message) => new(404, "NOT_FOUND", message);

    /// <summary>The consumer named in quota errors (Service Control's "projects/{number}").</summary>
    public const string QuotaConsumer = "projects/123456789012";

    /// <summary>429 RESOURCE_EXHAUSTED with ErrorInfo RATE_LIMIT_EXCEEDED and Service Control's metadata
    /// (evidence §1.6: quota_limit_value and consumer as in 2026 YouTube/Gemini captures). <paramref name="retryAfter"/>
    /// null sends no Retry-After header.</summary>
    public static GoogleError ResourceExhausted(string message, TimeSpan? retryAfter, int limitValue)
        => new(429, "RESOURCE_EXHAUSTED", message, "RATE_LIMIT_EXCEEDED",
            new Dictionary<string, string>
            {
                ["service"] = "health.googleapis.com",
                ["quota_limit"] = "ReadRequestsPerMinutePerUser",
                ["quota_limit_value"] = limitValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["consumer"] = QuotaConsumer,
            })
        { RetryAfter = retryAfter };

    /// <summary>Where a Google Account without a Fitbit / Google Health profile gets one (the emulator's choice:
    /// Fitbit's set-up page; the live Help link, if any, is unconfirmed).</summary>
    public const string AccountSignUpUrl = "https://www.fitbit.com/setup";

    /// <summary>400 FAILED_PRECONDITION, ErrorInfo ACCOUNT_NOT_LINKED (reference §3.5) with metadata signUpUrl and an
    /// AIP-193 google.rpc.Help detail carrying the same link, so a client can tell the user where to sign up.</summary>
    public static GoogleError AccountNotLinked()
        => new(400, "FAILED_PRECONDITION", "The account is not linked to Google Health", "ACCOUNT_NOT_LINKED",
            new Dictionary<string, string> { ["signUpUrl"] = AccountSignUpUrl })
        {
            HelpLinks = new[] { ("Set up Fitbit (Google Health) with this Google Account in the Fitbit app, then sign in again.", AccountSignUpUrl) },
        };

    public static GoogleError Unavailable(string message = "The service is currently unavailable.")
        => new(503, "UNAVAILABLE", message);

    public JsonObject ToJson()
    {
        var error = new JsonObject
        {
            ["code"] = Code,
            ["message"] = Message,
            ["status"] = Status,
        };
        var details = new JsonArray();
        if (Reason != null)
        {
            var info = new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = Reason,
                ["domain"] = Reason is "ACCESS_TOKEN_SCOPE_INSUFFICIENT" or "RATE_LIMIT_EXCEEDED" or "CREDENTIALS_MISSING" ? "googleapis.com" : "health.googleapis.com",
            };
            if (Metadata is { Count: > 0 })
            {
                var md = new JsonObject();
                foreach (var kv in Metadata) md[kv.Key] = kv.Value;
                info["metadata"] = md;
            }
            details.Add(info);
        }
        if (HelpLinks is { Count: > 0 })
        {
            var links = new JsonArray();
            foreach (var (description, url) in HelpLinks)
                links.Add(new JsonObject { ["description"] = description, ["url"] = url });
            details.Add(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.Help", ["links"] = links });
        }
        if (FieldViolations is { Count: > 0 })
        {
            var fv = new JsonArray();
            foreach (var (field, description) in FieldViolations)
                fv.Add(new JsonObject { ["field"] = field, ["description"] = description });
            details.Add(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.BadRequest", ["fieldViolations"] = fv });
        }
        if (details.Count > 0) error["details"] = details;
        return new JsonObject { ["error"] = error };
    }

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Code;
        response.ContentType = "application/json; charset=UTF-8";
        if (RetryAfter is { } ra)
            response.Headers.RetryAfter = ((int)Math.Ceiling(ra.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await response.WriteAsync(ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
