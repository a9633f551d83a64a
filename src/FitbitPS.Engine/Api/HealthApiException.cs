using System;
using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.Api
{
    /// <summary>The Health API refused a request (Google's error envelope, AIP-193), or the answer
    /// could not be understood. Carries Google's status and ErrorInfo reason; never a token.</summary>
    public class HealthApiException : Exception
    {
        public HealthApiException(string message, int httpStatus = 0, string status = null, string reason = null,
            IReadOnlyDictionary<string, string> metadata = null, Exception inner = null)
            : base(message, inner)
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
    }

    /// <summary>The sign-in lacks the scope a data type needs. Says which scope, and how to grant it.</summary>
    public sealed class MissingScopeException : HealthApiException
    {
        public MissingScopeException(string dataType, HealthScope scope, int httpStatus, string status, string reason, string googleMessage)
            : base(BuildMessage(dataType, scope, googleMessage), httpStatus, status, reason)
        {
            DataType = dataType; Scope = scope; ScopeUrl = DataTypeCatalog.ScopeUrl(scope);
        }

        public string DataType { get; }
        public HealthScope Scope { get; }
        public string ScopeUrl { get; }
        /// <summary>The command that grants the scope.</summary>
        public string ConnectCommand => "Connect-Fitbit -Scope " + Scope;

        private static string BuildMessage(string dataType, HealthScope scope, string googleMessage)
            => $"Reading '{dataType ?? "this data"}' needs the Google Health scope {DataTypeCatalog.ScopeUrl(scope)}, which this sign-in was not granted. "
             + $"Run 'Connect-Fitbit -Scope {scope}' (add your other scopes too) and approve it. Google said: {googleMessage}";
    }

    /// <summary>The Google account has no Google Health / Fitbit profile.</summary>
    public sealed class AccountNotLinkedException : HealthApiException
    {
        public AccountNotLinkedException(int httpStatus, string status, string googleMessage)
            : base("This Google account is not linked to Google Health (ACCOUNT_NOT_LINKED). Sign in to the Fitbit app with this Google account "
                 + "(or migrate your Fitbit account to Google), then run Connect-Fitbit again. Google said: " + googleMessage,
                 httpStatus, status, "ACCOUNT_NOT_LINKED") { }
    }

    /// <summary>Google refused our filter (a bug in this module or an unsupported type).</summary>
    public sealed class InvalidFilterException : HealthApiException
    {
        public InvalidFilterException(string filter, int httpStatus, string status, string reason, string googleMessage)
            : base($"Google refused the filter \"{filter}\" ({reason}): {googleMessage}", httpStatus, status, reason) { Filter = filter; }

        public string Filter { get; }
    }

    /// <summary>The sign-in is no longer accepted even after a refresh.</summary>
    public sealed class AuthenticationFailedException : HealthApiException
    {
        public AuthenticationFailedException(string googleMessage)
            : base("Google refused the access token even after a refresh (401 UNAUTHENTICATED). Run Connect-Fitbit to sign in again. Google said: " + googleMessage,
                   401, "UNAUTHENTICATED") { }
    }

    /// <summary>One chunk of a date range failed; the rest of the range still streams.</summary>
    public sealed class ChunkFailedException : Exception
    {
        public ChunkFailedException(string dataType, DateTime from, DateTime toInclusive, Exception inner)
            : base($"Could not read {dataType} for {Describe(from, toInclusive)}: {inner.Message}", inner)
        {
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
