using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Api
{
    /// <summary>The Health API refused a request (Google's error envelope, AIP-193), or the answer
    /// could not be understood. Carries Google's status and ErrorInfo reason; never a token.</summary>
    public class HealthApiException : FitbitEngineException
    {
        public HealthApiException(string message, int httpStatus = 0, string status = null, string reason = null,
            IReadOnlyDictionary<string, string> metadata = null, Exception inner = null, string errorId = null)
            : base(errorId ?? ErrorIdFor(httpStatus), KindFor(httpStatus), message, inner)
        {
            HttpStatus = httpStatus; Status = status; Reason = reason;
            Metadata = metadata ?? new Dictionary<string, string>();
        }

        /// <summary>HTTP status (0 when no answer arrived).</summary>
        public int HttpStatus { get; }
        /// <summary>google.rpc.Code name: INVALID_ARGUMENT, PERMISSION_DENIED…</summary>
        public string Status { get; }
        /// <summary>ErrorInfo.reason: MISSING_OAUTH_SCOPE, ACCOUNT_NOT_LINKED, INVALID_DATA_POINT_FILTER…</summary>
        public string Reason { get; }
        public IReadOnlyDictionary<string, string> Metadata { get; }

        /// <summary>Set where the refusal says nothing else the command asks for can succeed.</summary>
        public bool CommandEnding { get; set; }

        public override bool EndsCommand => CommandEnding;

        private static string ErrorIdFor(int status)
        {
            switch (status)
            {
                case 0: return "FitbitApiUnreachable";
                case 400: return "FitbitApiInvalidRequest";
                case 401: return "FitbitApiUnauthenticated";
                case 403: return "FitbitApiPermissionDenied";
                case 404: return "FitbitApiNotFound";
                case 429: return "FitbitApiQuotaExceeded";
                default: return status >= 500 ? "FitbitApiUnavailable" : "FitbitApiError";
            }
        }

        private static FitbitErrorKind KindFor(int status)
        {
            switch (status)
            {
                case 0: return FitbitErrorKind.ConnectionError;
                case 400: return FitbitErrorKind.InvalidArgument;
                case 401: return FitbitErrorKind.Authentication;
                case 403: return FitbitErrorKind.PermissionDenied;
                case 404: return FitbitErrorKind.NotFound;
                case 429: return FitbitErrorKind.LimitsExceeded;
                default: return status >= 500 ? FitbitErrorKind.ResourceUnavailable : FitbitErrorKind.NotSpecified;
            }
        }
    }

    /// <summary>The sign-in lacks the scope a data type needs. Says which scope, and how to grant it.</summary>
    public sealed class MissingScopeException : HealthApiException
    {
        public MissingScopeException(string dataType, HealthScope scope, int httpStatus, string status, string reason, string googleMessage)
            : base(BuildMessage(dataType, scope, googleMessage), httpStatus, status, reason, errorId: "FitbitMissingScope")
        {
            DataType = dataType; Scope = scope; ScopeUrl = DataTypeCatalog.ScopeUrl(scope);
            RecommendedAction = ConnectCommand;
        }

        public string DataType { get; }
        public HealthScope Scope { get; }
        public string ScopeUrl { get; }
        /// <summary>The command that grants the scope.</summary>
        public string ConnectCommand => "Connect-Fitbit -Scope " + ScopeName(Scope);

        /// <summary>Connect-Fitbit's name for a scope ("HealthMetrics").</summary>
        public static string ScopeName(HealthScope scope) => FitbitScopes.ToFriendlyName(DataTypeCatalog.ScopeUrl(scope));

        private static string BuildMessage(string dataType, HealthScope scope, string googleMessage)
            => $"Reading '{dataType ?? "this data"}' needs the Google Health scope {DataTypeCatalog.ScopeUrl(scope)}, which this sign-in was not granted. "
             + $"Run 'Connect-Fitbit -Scope {ScopeName(scope)}' (list your other scopes too) and approve it. Google said: {googleMessage}";
    }

    /// <summary>The Google account has no Google Health / Fitbit profile. Carries the link Google names.</summary>
    public sealed class AccountNotLinkedException : HealthApiException
    {
        public AccountNotLinkedException(int httpStatus, string status, string googleMessage, IReadOnlyList<string> links = null)
            : base("This Google account is not linked to Google Health (ACCOUNT_NOT_LINKED): it has no Fitbit / Google Health profile. Google said: "
                 + googleMessage + (links != null && links.Count > 0 ? " Sign up: " + string.Join(", ", links) + "." : ""),
                 httpStatus, status, "ACCOUNT_NOT_LINKED", errorId: "FitbitAccountNotLinked")
        {
            Links = links ?? Array.Empty<string>();
            RecommendedAction = (Links.Count > 0 ? $"Create or link the profile at {string.Join(", ", Links)} — " : "")
                + "sign in to the Fitbit app with this Google account (or migrate your Fitbit account to Google), then run Connect-Fitbit again; "
                + "for another Google account, run Connect-Fitbit -Force and pick it.";
        }

        /// <summary>The sign-up or help links Google named.</summary>
        public IReadOnlyList<string> Links { get; }

        public override bool EndsCommand => true;
    }

    /// <summary>
    /// Google refused a request FitbitPS made (a method the type does not support, a filter or a roll-up
    /// bound it does not accept): not the person's doing but a bug of ours, and the message says so and
    /// names the request so it can be reported.
    /// </summary>
    public sealed class RequestRefusedException : HealthApiException
    {
        public RequestRefusedException(string what, string request, int httpStatus, string status, string reason, string googleMessage,
            IReadOnlyDictionary<string, string> metadata, string filter)
            : base($"Google refused a request FitbitPS made for {what} ({reason}): {googleMessage} The request was: {request}. " +
                   "This is a bug in FitbitPS, not something you did.", httpStatus, status, reason, metadata, errorId: "FitbitRequestRefused")
        {
            Request = request;
            Filter = filter;
            RecommendedAction = "Report it as a FitbitPS bug with this message (it holds no token); other data types and ranges still read.";
        }

        /// <summary>The refused request: method, path and query or roll-up body.</summary>
        public string Request { get; }
        public string Filter { get; }
    }

    /// <summary>The sign-in is no longer accepted even after a refresh.</summary>
    public sealed class AuthenticationFailedException : HealthApiException
    {
        public AuthenticationFailedException(string googleMessage)
            : base("Google refused the access token even after a refresh (401 UNAUTHENTICATED). Run Connect-Fitbit to sign in again. Google said: " + googleMessage,
                   401, "UNAUTHENTICATED", errorId: "FitbitApiUnauthenticated") { RecommendedAction = "Connect-Fitbit"; }

        public override bool EndsCommand => true;
    }

    /// <summary>
    /// 403 on a request the sign-in's scopes cover (RESOURCE_PERMISSION_DENIED, DISALLOWED_OAUTH_SCOPES…): Google
    /// withdrew this app's access to the account. Seen live on every endpoint at once while refresh still works,
    /// cured only by removing the app's access and granting it again (evidence §1.9, §3.2).
    /// </summary>
    public sealed class AccessDeniedException : HealthApiException
    {
        public const string ConnectionsPage = "https://myaccount.google.com/connections";

        public AccessDeniedException(string what, int httpStatus, string status, string reason, string googleMessage, IReadOnlyDictionary<string, string> metadata)
            : base($"Google Health refused {what} with {httpStatus} {status}{(reason != null ? " (" + reason + ")" : "")}: {googleMessage} " +
                   "The sign-in still works, but Google no longer lets this app read the account. " +
                   $"Remove FitbitPS's access at {ConnectionsPage}, then run Connect-Fitbit -Force to grant it again.",
                   httpStatus, status, reason, metadata, errorId: "FitbitAccessDenied")
        {
            RecommendedAction = $"Remove the app's access at {ConnectionsPage}, then run Connect-Fitbit -Force and approve it again.";
        }

        public override bool EndsCommand => true;
    }

    /// <summary>Several connection attempts in a row failed (refused, reset, no complete answer in time): Google
    /// cannot be reached, so the command stops at once rather than retrying every remaining request.</summary>
    public sealed class GoogleUnreachableException : HealthApiException
    {
        public GoogleUnreachableException(Uri api, int attempts, TimeSpan over, Exception last)
            : base($"Google is unreachable: {attempts} connection attempts to {api.GetLeftPart(UriPartial.Authority)} in a row failed over {over.TotalSeconds:0.#} s " +
                   $"(last: {last?.GetType().Name}: {last?.Message}). Nothing was written for the days not read. Check the network connection (and proxy), then run the command again.",
                   0, null, null, null, last, errorId: "FitbitGoogleUnreachable")
        {
            RecommendedAction = "Check the network connection (and proxy settings), then run the command again.";
        }

        public override bool EndsCommand => true;
    }

    /// <summary>One chunk of a date range failed; the rest of the range still streams.</summary>
    public sealed class ChunkFailedException : FitbitEngineException
    {
        public ChunkFailedException(string dataType, DateTime from, DateTime toInclusive, Exception inner)
            : base("FitbitChunkFailed", (inner as FitbitEngineException)?.Kind ?? FitbitErrorKind.ConnectionError,
                   $"Could not read {dataType} for {Describe(from, toInclusive)}: {inner.Message}", inner)
        {
            RecommendedAction = (inner as FitbitEngineException)?.RecommendedAction ?? $"Run the command again for -From {from:yyyy-MM-dd} -To {toInclusive:yyyy-MM-dd}.";
            DataType = dataType; From = from; To = toInclusive;
        }

        public string DataType { get; }
        /// <summary>First calendar day of the failed chunk.</summary>
        public DateTime From { get; }
        /// <summary>Last calendar day of the failed chunk (inclusive).</summary>
        public DateTime To { get; }

        private static string Describe(DateTime from, DateTime to)
            => from == to ? from.ToString("yyyy-MM-dd") : $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}";
    }
}
