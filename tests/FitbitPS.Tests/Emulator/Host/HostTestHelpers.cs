using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HealthApiEmulator.OAuth;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

internal static class HostTestHelpers
{
    /// <summary>The "error" object of Google's envelope; fails the test when the body is not one.</summary>
    public static async Task<JsonElement> ReadGoogleErrorAsync(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>The server logs a request when it has finished with it, which can be just after the client saw
    /// an aborted connection; wait (briefly) for the log to catch up.</summary>
    public static async Task<IReadOnlyList<HealthApiEmulator.Hosting.LoggedRequest>> WaitForLoggedAsync(HealthApiEmulator.Hosting.RequestLog log, int count)
    {
        for (var i = 0; i < 200 && log.HealthApi.Count < count; i++) await Task.Delay(10);
        Assert.Equal(count, log.HealthApi.Count);
        return log.HealthApi;
    }

    /// <summary>GET a Health API path with a bearer token.</summary>
    public static Task<HttpResponseMessage> GetV4Async(HttpClient http, Uri baseUrl, string? accessToken, string path = "v4/users/me/identity")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        if (accessToken != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(request);
    }

    /// <summary>The token reads users/me/identity (any Health read scope allows it).</summary>
    public static async Task AssertTokenAcceptedAsync(HttpClient http, Uri baseUrl, string accessToken)
    {
        using var response = await GetV4Async(http, baseUrl, accessToken);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 from identity, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("users/me/identity", doc.RootElement.GetProperty("name").GetString());
    }

    public static async Task AssertTokenRefusedAsync(HttpClient http, Uri baseUrl, string accessToken)
    {
        using var response = await GetV4Async(http, baseUrl, accessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHENTICATED", (await ReadGoogleErrorAsync(response)).GetProperty("status").GetString());
    }
}

/// <summary>PKCE verifier/challenge pair (RFC 7636, S256).</summary>
internal sealed class Pkce
{
    public Pkce()
    {
        Verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        Challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
    }

    public string Verifier { get; }
    public string Challenge { get; }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The consent form as the emulator documents it (OAuthEndpoints.cs header).</summary>
internal sealed record ConsentForm(Uri Action, string RequestId, IReadOnlyList<string> Scopes);

/// <summary>An HttpClient acting as the user's browser on Google's sign-in pages. It never follows redirects:
/// the final redirect goes to a loopback URI nobody listens on, so tests read the Location header.</summary>
internal sealed class ConsentBrowser : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public static Uri AuthorizationUrl(Uri baseUrl, string clientId, string redirectUri, IEnumerable<string> scopes,
        Pkce? pkce = null, string? state = "state-123", bool offline = true, string? extra = null)
    {
        var query = new List<string>
        {
            "client_id=" + Uri.EscapeDataString(clientId),
            "redirect_uri=" + Uri.EscapeDataString(redirectUri),
            "response_type=code",
            "scope=" + Uri.EscapeDataString(string.Join(' ', scopes)),
        };
        if (state != null) query.Add("state=" + Uri.EscapeDataString(state));
        if (pkce != null) { query.Add("code_challenge=" + pkce.Challenge); query.Add("code_challenge_method=S256"); }
        if (offline) { query.Add("access_type=offline"); query.Add("prompt=consent"); }
        if (extra != null) query.Add(extra);
        return new Uri(baseUrl, "o/oauth2/v2/auth?" + string.Join('&', query));
    }

    public Task<HttpResponseMessage> GetAsync(Uri url) => _http.GetAsync(url);

    /// <summary>Opens the authorization URL and parses the consent form on the page.</summary>
    public async Task<ConsentForm> OpenConsentAsync(Uri authorizationUrl)
    {
        using var response = await _http.GetAsync(authorizationUrl);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"consent page: {(int)response.StatusCode} {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return ParseForm(html);
    }

    public static ConsentForm ParseForm(string html)
    {
        var form = Regex.Match(html, "<form id=\"consent\" method=\"post\" action=\"([^\"]+)\">");
        Assert.True(form.Success, "no consent form on the page");
        var requestId = Regex.Match(html, "<input type=\"hidden\" name=\"request_id\" value=\"([^\"]+)\">");
        Assert.True(requestId.Success, "no request_id on the consent form");
        var scopes = Regex.Matches(html, "<input type=\"checkbox\" name=\"scope\" value=\"([^\"]+)\"[^>]*\\bchecked>")
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Contains("name=\"decision\" value=\"allow\"", html);
        Assert.Contains("name=\"decision\" value=\"deny\"", html);
        return new ConsentForm(new Uri(WebUtility.HtmlDecode(form.Groups[1].Value)), WebUtility.HtmlDecode(requestId.Groups[1].Value), scopes);
    }

    /// <summary>Posts the form (ticked scopes, allow|deny) and returns the redirect's Location.</summary>
    public async Task<Uri> SubmitAsync(ConsentForm form, string decision, IEnumerable<string>? ticked = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("request_id", form.RequestId) };
        fields.AddRange((ticked ?? form.Scopes).Select(s => new KeyValuePair<string, string>("scope", s)));
        fields.Add(new("decision", decision));
        using var response = await _http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Whole browser part: open, keep every scope ticked, Allow; the Location query parsed.</summary>
    public async Task<Dictionary<string, string>> ConsentAsync(Uri authorizationUrl, IEnumerable<string>? ticked = null)
    {
        var form = await OpenConsentAsync(authorizationUrl);
        return Query(await SubmitAsync(form, "allow", ticked));
    }

    public static Dictionary<string, string> Query(Uri location) =>
        location.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    public void Dispose() => _http.Dispose();
}

/// <summary>The app side of the token endpoint: form posts like Google's client libraries send them.</summary>
internal static class TokenClient
{
    public static Task<HttpResponseMessage> ExchangeAsync(HttpClient http, Uri baseUrl, string code, string redirectUri,
        string? codeVerifier, string clientId = OAuthServer.DefaultClientId, string? clientSecret = OAuthServer.DefaultClientSecret)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
        };
        if (clientSecret != null) form["client_secret"] = clientSecret;
        if (codeVerifier != null) form["code_verifier"] = codeVerifier;
        return http.PostAsync(new Uri(baseUrl, "token"), new FormUrlEncodedContent(form));
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient http, Uri baseUrl, string refreshToken,
        string clientId = OAuthServer.DefaultClientId, string clientSecret = OAuthServer.DefaultClientSecret)
        => http.PostAsync(new Uri(baseUrl, "token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }));

    /// <summary>Asserts a token-endpoint error {"error","error_description"} and returns it.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string? description = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(error, doc.RootElement.GetProperty("error").GetString());
        if (description != null) Assert.Equal(description, doc.RootElement.GetProperty("error_description").GetString());
    }
}
