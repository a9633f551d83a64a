using System;
using Google.Apis.Auth.OAuth2.Responses;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>Every way signing in or refreshing can fail, as a <see cref="FitbitAuthException"/> that says what to do.</summary>
    internal static class SignInErrors
    {
        internal static FitbitAuthException NotSignedIn(string profile) =>
            new FitbitAuthException(AuthErrorIds.NotSignedIn, FitbitErrorKind.Authentication,
                $"Profile '{profile}' is not signed in. Run Connect-Fitbit -Profile {profile} (the first time with -ClientSecretFile <path>).")
            { Profile = profile, RecommendedAction = $"Connect-Fitbit -Profile {profile} (the first time with -ClientSecretFile <path>); Get-FitbitContext -ListAvailable lists the saved profiles." };

        internal static FitbitAuthException InteractionRequired(string profile, string why) =>
            new FitbitAuthException(AuthErrorIds.InteractionRequired, FitbitErrorKind.Authentication,
                $"Profile '{profile}' needs an interactive sign-in ({why}), and this session is non-interactive, so FitbitPS did not open a browser or prompt. " +
                $"Run Connect-Fitbit -Profile {profile} once in an interactive PowerShell as the same user; scheduled runs then sign in silently.")
            { Profile = profile, RecommendedAction = $"Run Connect-Fitbit -Profile {profile} once in an interactive PowerShell as the same user." };

        internal static FitbitAuthException RefreshRejected(string profile, Exception inner) =>
            new FitbitAuthException(AuthErrorIds.RefreshTokenRejected, FitbitErrorKind.Authentication,
                $"Google refused the saved refresh token of profile '{profile}' (invalid_grant). Usual causes: the OAuth app is in \"Testing\" " +
                "publishing status, where Google lets refresh tokens live only 7 days; access was removed (Disconnect-Fitbit -Revoke or " +
                "https://myaccount.google.com/permissions); or the token was unused for 6 months. To end the weekly sign-in, open Google Cloud " +
                "console → Google Auth Platform → Audience and click \"Publish app\" (status \"In production\"; unverified is fine for your own account). " +
                $"Then run Connect-Fitbit -Profile {profile} once.", inner) { Profile = profile, RecommendedAction = $"Connect-Fitbit -Profile {profile}; to end the weekly sign-in, publish the OAuth app (Google Auth Platform → Audience → Publish app)." };

        internal static FitbitAuthException FromTokenError(TokenResponseException ex, string profile, bool refreshing)
        {
            var error = ex.Error?.Error;
            // Only invalid_grant ends a refresh token; on anything else the saved sign-in stays and can be used again.
            var kept = refreshing ? $" The saved sign-in of profile '{profile}' was kept (Google did not say it is invalid)." : "";
            if (error == "invalid_grant" && refreshing) return RefreshRejected(profile, ex);
            if (error == "invalid_grant")
                return new FitbitAuthException(AuthErrorIds.TokenEndpointError, FitbitErrorKind.Authentication,
                    $"Google refused the authorization code (invalid_grant): it was already used, expired, or belongs to another sign-in. Run Connect-Fitbit -Profile {profile} again.", ex)
                { Profile = profile, RecommendedAction = $"Connect-Fitbit -Profile {profile}" };
            if (error == "invalid_client" || error == "unauthorized_client")
                return new FitbitAuthException(AuthErrorIds.ClientSecretsInvalid, FitbitErrorKind.Authentication,
                    $"Google does not accept the OAuth client ({error}): the client id or secret is wrong, or the client was deleted. " +
                    $"Download the client JSON again and run Connect-Fitbit -Profile {profile} -ClientSecretFile <path>." + kept, ex)
                { Profile = profile, RecommendedAction = $"Download the client JSON again from Google Cloud console and run Connect-Fitbit -Profile {profile} -ClientSecretFile <path>." };
            var status = (int?)ex.StatusCode;
            return new FitbitAuthException(AuthErrorIds.TokenEndpointError, status >= 500 ? FitbitErrorKind.ResourceUnavailable : FitbitErrorKind.Authentication,
                $"Google's token endpoint answered '{error}'" + (string.IsNullOrEmpty(ex.Error?.ErrorDescription) ? "" : $": {Shorten(ex.Error.ErrorDescription)}") +
                $" (HTTP {status})." + kept, ex)
            {
                Profile = profile,
                RecommendedAction = refreshing
                    ? "Run the command again later; if it keeps failing, check the network path (proxy) to Google and the OAuth client in Google Cloud console."
                    : $"Run Connect-Fitbit -Profile {profile} again; if it keeps failing, check the OAuth client in Google Cloud console.",
            };
        }

        /// <summary>An error description may be a whole HTML page (a proxy's 403): its first line is enough.</summary>
        private static string Shorten(string text)
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]*>", " ");
            text = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
            return text.Length > 160 ? text.Substring(0, 160) + "…" : text;
        }

        internal static FitbitAuthException TokenAnswerUnreadable(GoogleEndpoints endpoints, string profile, Exception ex) =>
            new FitbitAuthException(AuthErrorIds.TokenEndpointError, FitbitErrorKind.InvalidData,
                $"Google's token endpoint {endpoints.TokenEndpoint.GetLeftPart(UriPartial.Path)} sent an answer that holds no access token ({Unreadable(ex)})." +
                $" The saved sign-in of profile '{profile}' was kept; run the command again later.", ex)
            { Profile = profile, RecommendedAction = "Run the command again later; if it keeps failing, check the network path (proxy) to Google." };

        /// <summary>What was wrong with a token answer, in words (never a raw "Object reference not set…").</summary>
        private static string Unreadable(Exception ex)
        {
            switch (ex)
            {
                case null: return "no access_token in it";
                case NullReferenceException _: return "an empty body";
                case Newtonsoft.Json.JsonException json: return "not valid JSON: " + json.Message;
                case OperationCanceledException _: return "no complete answer in time";
                default: return ex.GetType().Name + ": " + ex.Message;
            }
        }

        internal static FitbitAuthException TokenEndpointUnreachable(GoogleEndpoints endpoints, Exception ex) =>
            new FitbitAuthException(AuthErrorIds.TokenEndpointError, FitbitErrorKind.ConnectionError,
                $"Could not reach Google's token endpoint {endpoints.TokenEndpoint.GetLeftPart(UriPartial.Path)} ({ex.Message}). Check the network and try again.", ex)
            { RecommendedAction = "Check the network connection (and proxy) and run the command again." };
    }
}
