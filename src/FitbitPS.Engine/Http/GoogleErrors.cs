using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Http
{
    /// <summary>Google's error JSON (AIP-193: status, message, ErrorInfo reason and metadata, Help links) read and
    /// turned into the typed exception that tells the person what happened and what to do.</summary>
    internal static class GoogleErrors
    {
        internal static Status ParseError(byte[] body) => ParseError(body, body?.Length ?? 0);

        /// <summary>The error of the first <paramref name="length"/> bytes, or null when they are not Google's error JSON
        /// (an HTML page from a proxy, an empty body).</summary>
        internal static Status ParseError(byte[] body, int length)
        {
            if (body == null || length == 0) return null;
            try
            {
                var envelope = JsonConvert.DeserializeObject<ErrorEnvelope>(Encoding.UTF8.GetString(body, 0, length));
                return envelope?.Error;
            }
            catch (JsonException) { return null; }
        }

        internal static string ReasonOf(Status error)
            => error?.Details?.FirstOrDefault(d => (string)d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo")?["reason"]?.ToString();

        /// <summary>Reasons that mean FitbitPS itself asked for something Google does not serve: a bug of ours.</summary>
        private static bool IsOurMistake(string reason)
            => reason != null && (reason.StartsWith("INVALID_DATA_POINT_FILTER", StringComparison.Ordinal) || reason == "UNSUPPORTED_DATA_TYPE_ACTION"
                                  || reason == "INVALID_ROLLUP_QUERY_DURATION" || reason == "INVALID_DATA_POINT_NAME" || reason == "INVALID_TIME_RANGE"
                                  || reason == "INVALID_PARENT_DATA_TYPE_COLLECTION");

        internal static Exception MapError(int status, Status error, byte[] body, DataTypeInfo type, string filter, string what, string asked = null)
        {
            var reason = ReasonOf(error);
            var message = error?.Message ?? Snippet(body);
            var metadata = new Dictionary<string, string>();
            var info = error?.Details?.FirstOrDefault(d => (string)d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo");
            if (info?["metadata"] is JObject md) foreach (var p in md.Properties()) metadata[p.Name] = p.Value.ToString();
            var links = RemedyLinks(error, metadata);
            switch (reason)
            {
                case "MISSING_OAUTH_SCOPE":
                case "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
                {
                    // Google may name the scope it wanted; otherwise the catalogue knows the type's family.
                    var scope = type?.Scope ?? HealthScope.HealthMetricsAndMeasurements;
                    if (metadata.TryGetValue("requiredScope", out var required))
                        foreach (HealthScope candidate in Enum.GetValues(typeof(HealthScope)))
                            if (DataTypeCatalog.ScopeUrl(candidate) == required) scope = candidate;
                    return new MissingScopeException(type?.Id, scope, status, error?.StatusName, reason, message);
                }
                case "ACCOUNT_NOT_LINKED":
                    return new AccountNotLinkedException(status, error?.StatusName, message, links);
            }
            if (IsOurMistake(reason))
                return new RequestRefusedException(what, asked ?? what, status, error?.StatusName, reason, message, metadata, filter);
            // Access withdrawn at Google: every endpoint refuses at once while refresh still works.
            if (status == 403 && reason == "RESOURCE_PERMISSION_DENIED")
                return new AccessDeniedException(what, status, error.StatusName, reason, message, metadata);
            var remedy = links.Count > 0 ? " See " + string.Join(", ", links) + "." : "";
            return new HealthApiException($"Google Health refused {what}: HTTP {status} {error?.StatusName}{(reason != null ? " (" + reason + ")" : "")}: {message}{remedy}",
                status, error?.StatusName, reason, metadata)
            {
                RecommendedAction = links.Count > 0 ? "See " + string.Join(", ", links) + "." : null,
                // Any other 403 of Google's (the API not enabled in the Cloud project, a disallowed scope, a project
                // refused) refuses every request the same way: one error for the command, with Google's own remedy.
                CommandEnding = status == 403 && error?.StatusName == "PERMISSION_DENIED",
            };
        }

        /// <summary>The links Google names as the way out (AIP-193: google.rpc.Help links; URLs in ErrorInfo metadata).</summary>
        internal static IReadOnlyList<string> RemedyLinks(Status error, IReadOnlyDictionary<string, string> metadata)
        {
            var links = new List<string>();
            foreach (var help in error?.Details?.Where(d => (string)d["@type"] == "type.googleapis.com/google.rpc.Help") ?? Enumerable.Empty<JObject>())
                if (help["links"] is JArray array)
                    foreach (var link in array.OfType<JObject>())
                        if (link["url"]?.ToString() is string url && url.Length > 0 && !links.Contains(url)) links.Add(url);
            foreach (var value in metadata?.Values ?? Enumerable.Empty<string>())
                if ((value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                    && !links.Contains(value)) links.Add(value);
            return links;
        }

        /// <summary>The start of a body that is not Google's error JSON, on one line, for the message.</summary>
        private static string Snippet(byte[] body)
        {
            if (body == null || body.Length == 0) return "(empty body)";
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
            return text.Replace('\n', ' ').Replace('\r', ' ');
        }
    }
}
