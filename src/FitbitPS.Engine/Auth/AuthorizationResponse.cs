using System;
using System.Collections.Generic;
using Google.Apis.Auth.OAuth2.Responses;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>Parses a redirected URL (the loopback request, or what a person pastes after -NoBrowser).</summary>
    internal static class AuthorizationResponse
    {
        /// <summary>The code/state/error of a full redirected URL, or of just its query string.</summary>
        public static AuthorizationCodeResponseUrl Parse(string redirectedUrl)
        {
            var text = (redirectedUrl ?? "").Trim().Trim('"', '\'', '<', '>');
            var q = text.IndexOf('?');
            if (text.Length == 0 || (q < 0 && !text.Contains("code=") && !text.Contains("error=")))
                throw new FitbitAuthException(AuthErrorIds.RedirectUrlInvalid, FitbitErrorKind.InvalidArgument,
                    "That is not the redirected address: paste the whole address from the browser's address bar after you approved access " +
                    "(it starts with http://127.0.0.1 and contains 'code=' and 'state='; the page itself does not load).")
                { RecommendedAction = "Paste the whole address from the browser's address bar (http://127.0.0.1:PORT/?state=...&code=...)." };
            var query = q >= 0 ? text.Substring(q + 1) : text;
            var hash = query.IndexOf('#');
            if (hash >= 0) query = query.Substring(0, hash);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in query.Split('&'))
            {
                if (part.Length == 0) continue;
                var eq = part.IndexOf('=');
                var k = Uri.UnescapeDataString((eq < 0 ? part : part.Substring(0, eq)).Replace('+', ' '));
                var v = eq < 0 ? "" : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                values[k] = v;
            }
            return new AuthorizationCodeResponseUrl(values);
        }

        /// <summary>Throws the matching error when the response is not a usable code for <paramref name="expectedState"/>.</summary>
        public static string RequireCode(AuthorizationCodeResponseUrl response, string expectedState, string profile)
        {
            if (!string.Equals(response.State, expectedState, StringComparison.Ordinal))
                throw new FitbitAuthException(AuthErrorIds.StateMismatch, FitbitErrorKind.Security,
                    "The redirected address does not belong to this sign-in (its 'state' does not match). " +
                    $"Use the address from the sign-in link this Connect-Fitbit -Profile {profile} printed, not an older one.")
                { Profile = profile, RecommendedAction = $"Use the address the latest sign-in link of Connect-Fitbit -Profile {profile} led to." };
            if (!string.IsNullOrEmpty(response.Error))
            {
                if (response.Error == "access_denied")
                    throw new FitbitAuthException(AuthErrorIds.AccessDenied, FitbitErrorKind.PermissionDenied,
                        "Access was denied on Google's consent page, so FitbitPS got no tokens. " +
                        $"Run Connect-Fitbit -Profile {profile} again and choose Allow (tick the data you want FitbitPS to read).")
                    { Profile = profile, RecommendedAction = $"Run Connect-Fitbit -Profile {profile} again and choose Allow." };
                throw new FitbitAuthException(AuthErrorIds.ConsentError, FitbitErrorKind.Authentication,
                    $"Google's sign-in page answered with error '{response.Error}'" +
                    (string.IsNullOrEmpty(response.ErrorDescription) ? "" : $": {response.ErrorDescription}") +
                    ". Check the OAuth client (type Desktop app, Google Health API enabled, your account added as a test user) and try again.")
                { Profile = profile, RecommendedAction = "Check the OAuth client in Google Cloud console (type Desktop app, Google Health API enabled, your account a test user) and run Connect-Fitbit again." };
            }
            if (string.IsNullOrEmpty(response.Code))
                throw new FitbitAuthException(AuthErrorIds.RedirectUrlInvalid, FitbitErrorKind.InvalidArgument,
                    "The redirected address has no authorization code ('code='). Paste the whole address from the address bar.")
                { Profile = profile, RecommendedAction = "Paste the whole address from the browser's address bar." };
            return response.Code;
        }
    }
}
