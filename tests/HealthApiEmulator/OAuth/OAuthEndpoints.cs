// Consent form contract (tests that act as the browser parse and post this; keep it stable):
//
//   GET {BaseUrl}o/oauth2/v2/auth?client_id&redirect_uri&response_type=code&scope&state&code_challenge
//       &code_challenge_method&access_type&prompt
//   → 200 text/html (unless EmulatorOptions.AutoApprove, which answers the Allow redirect at once) containing
//     exactly one form:
//       <form id="consent" method="post" action="{BaseUrl}o/oauth2/v2/consent">
//         <input type="hidden" name="request_id" value="{opaque id}">
//         <input type="checkbox" name="scope" value="{scope}" id="scope-{i}" checked>   (one per requested scope)
//         <button type="submit" name="decision" value="allow">Allow</button>
//         <button type="submit" name="decision" value="deny">Deny</button>
//       </form>
//     Attributes are always double-quoted, in that order; values are HTML-encoded.
//   POST {BaseUrl}o/oauth2/v2/consent  (application/x-www-form-urlencoded)
//       request_id={id}&scope={ticked scope}&scope={…}&decision=allow|deny
//   → 302 Location: {redirect_uri}?state={state}&code={code}&scope={granted, space-separated}   (allow)
//     302 Location: {redirect_uri}?error=access_denied&state={state}   (deny, or allow with nothing ticked)
//     400 HTML "Error 400: invalid_request" when request_id is unknown, used or older than 30 minutes.
//   Only ticked scopes that were requested are granted (a user may grant fewer than asked).
//   A request_id is single use.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HealthApiEmulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace HealthApiEmulator.OAuth;

/// <summary>Google's authorization server: GET /o/oauth2/v2/auth (+ the consent page's POST),
/// POST /token, POST /revoke. Error bodies follow Google: HTML pages at /auth, {"error","error_description"} elsewhere.</summary>
internal static class OAuthEndpoints
{
    public const string ConsentPath = "o/oauth2/v2/consent";

    public static void Map(WebApplication app, EmulatorOptions options, EmulatorClock clock, OAuthServer oauth)
    {
        app.MapGet("/o/oauth2/v2/auth", (HttpContext context) => AuthorizeAsync(context, options, oauth));
        app.MapPost("/" + ConsentPath, (HttpContext context) => ConsentAsync(context, oauth));
        app.MapPost("/token", (HttpContext context) => TokenAsync(context, oauth));
        app.MapMethods("/revoke", [HttpMethods.Post, HttpMethods.Get], (HttpContext context) => RevokeAsync(context, oauth));
    }

    // ------------------------------------------------------------------ /o/oauth2/v2/auth

    private static async Task AuthorizeAsync(HttpContext context, EmulatorOptions options, OAuthServer oauth)
    {
        var q = context.Request.Query;
        var response = context.Response;

        var client = oauth.FindClient(q["client_id"]);
        if (client == null)
        {
            await GooglePages.WriteAsync(response, 401, GooglePages.SignInError(401, "invalid_client",
                string.IsNullOrEmpty(q["client_id"]) ? "Missing required parameter: client_id" : "The OAuth client was not found."));
            return;
        }
        string redirectUri = q["redirect_uri"].ToString();
        if (redirectUri.Length == 0)
        {
            await GooglePages.WriteAsync(response, 400, GooglePages.SignInError(400, "invalid_request", "Missing required parameter: redirect_uri"));
            return;
        }
        if (!RedirectAllowed(client, redirectUri))
        {
            // Never redirect to an unvalidated URI: the error is shown on the page.
            await GooglePages.WriteAsync(response, 400, GooglePages.SignInError(400, "redirect_uri_mismatch",
                $"You can\u2019t sign in to this app because it doesn\u2019t comply with Google\u2019s OAuth 2.0 policy. redirect_uri={redirectUri}"));
            return;
        }

        // From here the redirect URI is trusted, but Google still shows request errors on its own page.
        string? state = Optional(q["state"]);
        string responseType = q["response_type"].ToString();
        if (responseType.Length == 0) { await RequestErrorAsync(response, "invalid_request", "Required parameter is missing: response_type"); return; }
        if (responseType != "code") { await RequestErrorAsync(response, "unsupported_response_type", $"Invalid response_type: {responseType}"); return; }

        var scopes = q["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0) { await RequestErrorAsync(response, "invalid_request", "Missing required parameter: scope"); return; }
        var invalid = scopes.Where(s => !OAuthServer.KnownScopes.Contains(s)).ToList();
        if (invalid.Count > 0)
        {
            await RequestErrorAsync(response, "invalid_scope", $"Some requested scopes were invalid. {{invalid=[{string.Join(", ", invalid)}]}}");
            return;
        }

        string? challenge = Optional(q["code_challenge"]);
        string? method = Optional(q["code_challenge_method"]);
        if (challenge == null && method != null) { await RequestErrorAsync(response, "invalid_request", "Missing code_challenge."); return; }
        if (challenge != null)
        {
            method ??= "plain";
            if (method is not ("S256" or "plain")) { await RequestErrorAsync(response, "invalid_request", $"Invalid code_challenge_method value: {method}"); return; }
        }

        string accessType = q["access_type"].ToString();
        if (accessType is not ("" or "online" or "offline")) { await RequestErrorAsync(response, "invalid_request", $"Invalid access_type: {accessType}"); return; }
        string? prompt = Optional(q["prompt"]);
        if (prompt != null && prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(p => p is not ("none" or "consent" or "select_account")))
        {
            await RequestErrorAsync(response, "invalid_request", $"Invalid prompt: {prompt}");
            return;
        }

        var request = new AuthorizationRequest(client.ClientId, redirectUri, scopes, state, challenge, method, accessType == "offline", prompt);
        if (prompt == "none")
        {
            // Without a session there is nobody to ask: Google answers consent_required through the redirect.
            response.Redirect(WithQuery(redirectUri, ("error", "consent_required"), ("state", state)));
            return;
        }
        if (options.AutoApprove)
        {
            response.Redirect(ApprovedRedirect(oauth, request, scopes));
            return;
        }

        var requestId = oauth.AddPendingConsent(request);
        response.Headers.CacheControl = "no-store";
        await GooglePages.WriteAsync(response, 200, ConsentPage(oauth, request, requestId));
    }

    private static Task RequestErrorAsync(HttpResponse response, string error, string detail)
        => GooglePages.WriteAsync(response, 400, GooglePages.SignInError(400, error, detail));

    /// <summary>Installed (Desktop) clients: any http loopback URI (127.0.0.1, localhost, [::1]; any port and path).
    /// Web clients: an exact registered URI (trailing slash included).</summary>
    internal static bool RedirectAllowed(OAuthClient client, string redirectUri)
    {
        if (client.Kind == OAuthClientKind.Web)
            return client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal);
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)) return false;
        return uri.Scheme == Uri.UriSchemeHttp
               && uri.Host is "127.0.0.1" or "localhost" or "[::1]"
               && uri.UserInfo.Length == 0
               && uri.Fragment.Length == 0;
    }

    private static string ConsentPage(OAuthServer oauth, AuthorizationRequest request, string requestId)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var action = new Uri(oauth.BaseUrl!, ConsentPath).AbsoluteUri;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Sign in - Google Accounts</title></head>\n<body>\n");
        html.Append($"<h1>{E(request.ClientId)} wants access to your Google Account</h1>\n");
        html.Append("<p>Select what this app can access.</p>\n");
        html.Append($"<form id=\"consent\" method=\"post\" action=\"{E(action)}\">\n");
        html.Append($"<input type=\"hidden\" name=\"request_id\" value=\"{E(requestId)}\">\n");
        for (var i = 0; i < request.Scopes.Count; i++)
        {
            var scope = request.Scopes[i];
            html.Append($"<p><input type=\"checkbox\" name=\"scope\" value=\"{E(scope)}\" id=\"scope-{i}\" checked> <label for=\"scope-{i}\">{E(Describe(scope))}</label></p>\n");
        }
        html.Append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n");
        html.Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n");
        html.Append("</form>\n</body></html>\n");
        return html.ToString();
    }

    private static string Describe(string scope) => scope.StartsWith(Scopes.Prefix, StringComparison.Ordinal)
        ? "Google Health: " + scope[Scopes.Prefix.Length..].Replace('_', ' ').Replace(".readonly", " (read)").Replace(".writeonly", " (write)")
        : scope;

    // ------------------------------------------------------------------ consent POST

    private static async Task ConsentAsync(HttpContext context, OAuthServer oauth)
    {
        var response = context.Response;
        if (!context.Request.HasFormContentType)
        {
            await RequestErrorAsync(response, "invalid_request", "The consent form must be posted as application/x-www-form-urlencoded.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = oauth.TakePendingConsent(form["request_id"]);
        if (request == null)
        {
            await RequestErrorAsync(response, "invalid_request", "This sign-in request is unknown, was already answered, or has expired. Start signing in again.");
            return;
        }
        var decision = form["decision"].ToString();
        var ticked = form["scope"].Where(s => s != null).Select(s => s!).ToHashSet(StringComparer.Ordinal);
        var granted = request.Scopes.Where(ticked.Contains).ToList();
        if (decision != "allow" || granted.Count == 0)
        {
            response.Redirect(WithQuery(request.RedirectUri, ("error", "access_denied"), ("state", request.State)));
            return;
        }
        response.Redirect(ApprovedRedirect(oauth, request, granted));
    }

    private static string ApprovedRedirect(OAuthServer oauth, AuthorizationRequest request, IReadOnlyCollection<string> granted)
    {
        var code = oauth.IssueCode(request, granted);
        return WithQuery(request.RedirectUri, ("state", request.State), ("code", code), ("scope", string.Join(' ', granted)));
    }

    private static string WithQuery(string uri, params (string Name, string? Value)[] parameters)
    {
        var sb = new StringBuilder(uri);
        var separator = uri.Contains('?') ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            if (value == null) continue;
            sb.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return sb.ToString();
    }

    // ------------------------------------------------------------------ /token

    private static async Task TokenAsync(HttpContext context, OAuthServer oauth)
    {
        var result = await TokenResultAsync(context, oauth);
        var response = context.Response;
        response.StatusCode = result.Status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        response.Headers.Pragma = "no-cache";
        if (result.Status == 401) response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"https://accounts.google.com/\"";
        await response.WriteAsync(result.Body.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static async Task<TokenResult> TokenResultAsync(HttpContext context, OAuthServer oauth)
    {
        if (!context.Request.HasFormContentType)
            return TokenResult.Fail(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);

        string grantType = form["grant_type"].ToString();
        if (grantType is not ("authorization_code" or "refresh_token"))
            return TokenResult.Fail(400, "unsupported_grant_type", $"Invalid grant_type: {grantType}");

        // Client authentication: form fields (what Google's libraries send) or HTTP Basic.
        var (clientId, clientSecret) = ClientCredentials(context.Request, form);
        if (string.IsNullOrEmpty(clientId))
            return TokenResult.Fail(400, "invalid_request", "Could not determine client ID from request.");
        var client = oauth.FindClient(clientId);
        if (client == null)
            return TokenResult.Fail(401, "invalid_client", "The OAuth client was not found.");
        // Desktop clients must send their (not secret) secret too, PKCE or not (reference §3.4).
        if (string.IsNullOrEmpty(clientSecret))
            return TokenResult.Fail(400, "invalid_request", "client_secret is missing.");
        if (!string.Equals(clientSecret, client.ClientSecret, StringComparison.Ordinal))
            return TokenResult.Fail(401, "invalid_client", "Unauthorized");

        if (grantType == "authorization_code")
        {
            string code = form["code"].ToString();
            if (code.Length == 0) return TokenResult.Fail(400, "invalid_request", "Missing required parameter: code");
            return oauth.ExchangeCode(client, code, Optional(form["redirect_uri"]), Optional(form["code_verifier"]));
        }

        string refreshToken = form["refresh_token"].ToString();
        if (refreshToken.Length == 0) return TokenResult.Fail(400, "invalid_request", "Missing required parameter: refresh_token");
        return oauth.Refresh(client, refreshToken);
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        string? id = Optional(form["client_id"]);
        string? secret = Optional(form["client_secret"]);
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
                var colon = decoded.IndexOf(':');
                if (colon > 0)
                {
                    id ??= Uri.UnescapeDataString(decoded[..colon]);
                    secret ??= Uri.UnescapeDataString(decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
                // A malformed Basic header authenticates nobody; the form fields decide.
            }
        }
        return (id, secret);
    }

    // ------------------------------------------------------------------ /revoke

    private static async Task RevokeAsync(HttpContext context, OAuthServer oauth)
    {
        string? token = Optional(context.Request.Query["token"]);
        if (token == null && context.Request.HasFormContentType)
            token = Optional((await context.Request.ReadFormAsync(context.RequestAborted))["token"]);
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        if (token == null)
        {
            response.StatusCode = 400;
            await response.WriteAsync(Error("invalid_request", "Missing required parameter: token"));
            return;
        }
        if (!oauth.Revoke(token))
        {
            response.StatusCode = 400;
            await response.WriteAsync(Error("invalid_token", "Token expired or revoked"));
            return;
        }
        response.StatusCode = 200;
        await response.WriteAsync("{}");
    }

    private static string Error(string error, string description)
        => new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString();

    private static string? Optional(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();
}
