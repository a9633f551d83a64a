using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HealthApiEmulator.Hosting;

namespace HealthApiEmulator.OAuth;

/// <summary>Google Cloud console OAuth client types the emulator knows.</summary>
public enum OAuthClientKind
{
    /// <summary>"Desktop app": any loopback redirect (127.0.0.1 / localhost, any port) is accepted.</summary>
    Installed,

    /// <summary>"Web application": the redirect URI must match a registered one exactly.</summary>
    Web,
}

/// <summary>A registered OAuth client.</summary>
public sealed record OAuthClient(string ClientId, string ClientSecret, OAuthClientKind Kind, IReadOnlyList<string> RedirectUris);

/// <summary>Tokens of a consented grant, minted without a browser.</summary>
public sealed record IssuedTokens(string AccessToken, string RefreshToken, int ExpiresInSeconds);

/// <summary>
/// State of the emulated Google authorization server: clients, pending consents, authorization codes,
/// grants (one per consent) and their tokens. Token lifetimes run on the emulator clock. Tokens come from
/// a cryptographic RNG and are never written to logs.
/// </summary>
public sealed class OAuthServer
{
    public const string DefaultClientId = "123456789012-emulator.apps.googleusercontent.com";
    public const string DefaultClientSecret = "GOCSPX-emulator";
    public const string ProjectId = "fitbitps-emulator";

    /// <summary>Google access tokens live about an hour; the token endpoint says 3599.</summary>
    public const int AccessTokenLifetimeSeconds = 3599;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan TestingAppRefreshLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan ConsentRequestLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Scopes Google's authorization server accepts here (Health scopes, old and new write names,
    /// sign-in scopes, cloud-platform). Anything else is invalid_scope.</summary>
    public static readonly IReadOnlySet<string> KnownScopes = BuildKnownScopes();

    private readonly object _gate = new();
    private readonly EmulatorOptions _options;
    private readonly EmulatorClock _clock;
    private readonly Dictionary<string, OAuthClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingConsent> _consents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Grant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessToken> _accessTokens = new(StringComparer.Ordinal);
    private readonly List<Grant> _grants = new();

    public OAuthServer(EmulatorOptions options, EmulatorClock clock)
    {
        _options = options;
        _clock = clock;
        RegisterClient(DefaultClientId, DefaultClientSecret, OAuthClientKind.Installed);
    }

    /// <summary>The emulator's base URL (set once the server listens).</summary>
    public Uri? BaseUrl { get; set; }

    public Uri AuthorizationEndpoint => new(RequireBaseUrl(), "o/oauth2/v2/auth");
    public Uri TokenEndpoint => new(RequireBaseUrl(), "token");
    public Uri RevokeEndpoint => new(RequireBaseUrl(), "revoke");

    // ---------------------------------------------------------------- clients

    public void RegisterClient(string clientId, string clientSecret, OAuthClientKind kind, IEnumerable<string>? redirectUris = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        var uris = redirectUris?.ToArray() ?? Array.Empty<string>();
        if (kind == OAuthClientKind.Web && uris.Length == 0)
            throw new ArgumentException("A Web client needs at least one registered redirect URI.", nameof(redirectUris));
        lock (_gate) _clients[clientId] = new OAuthClient(clientId, clientSecret, kind, uris);
    }

    public OAuthClient? FindClient(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId)) return null;
        lock (_gate) return _clients.GetValueOrDefault(clientId);
    }

    /// <summary>The client_secret_*.json Google Cloud console downloads for the client, pointing at the emulator.</summary>
    public string ClientSecretsJson(OAuthClientKind kind = OAuthClientKind.Installed, string? clientId = null)
    {
        clientId ??= DefaultClientId;
        var client = FindClient(clientId) ?? throw new ArgumentException($"Unknown OAuth client '{clientId}'.", nameof(clientId));
        if (client.Kind != kind)
            throw new ArgumentException($"Client '{clientId}' is registered as {client.Kind}, not {kind}.", nameof(kind));
        var redirects = new JsonArray();
        if (kind == OAuthClientKind.Installed) redirects.Add("http://localhost");
        else foreach (var uri in client.RedirectUris) redirects.Add(uri);
        var body = new JsonObject
        {
            ["client_id"] = client.ClientId,
            ["project_id"] = ProjectId,
            ["auth_uri"] = AuthorizationEndpoint.AbsoluteUri,
            ["token_uri"] = TokenEndpoint.AbsoluteUri,
            ["auth_provider_x509_cert_url"] = new Uri(RequireBaseUrl(), "oauth2/v1/certs").AbsoluteUri,
            ["client_secret"] = client.ClientSecret,
            ["redirect_uris"] = redirects,
        };
        var root = new JsonObject { [kind == OAuthClientKind.Installed ? "installed" : "web"] = body };
        return root.ToJsonString();
    }

    // ---------------------------------------------------------------- test helpers

    /// <summary>A consented offline grant without a browser (for tests that don't test sign-in).</summary>
    public IssuedTokens IssueTokens(IEnumerable<string> scopes, string? clientId = null)
    {
        clientId ??= DefaultClientId;
        if (FindClient(clientId) == null) throw new ArgumentException($"Unknown OAuth client '{clientId}'.", nameof(clientId));
        var scopeSet = scopes.ToHashSet(StringComparer.Ordinal);
        if (scopeSet.Count == 0) throw new ArgumentException("At least one scope is needed.", nameof(scopes));
        lock (_gate)
        {
            var grant = NewGrantUnlocked(clientId, scopeSet, offline: true);
            var access = NewAccessTokenUnlocked(grant);
            return new IssuedTokens(access.Token, grant.RefreshToken!, AccessTokenLifetimeSeconds);
        }
    }

    /// <summary>Every access token issued so far stops working (as if an hour had passed); refresh tokens stay valid.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
            foreach (var token in _accessTokens.Values) token.Expired = true;
    }

    /// <summary>The user removed the app's access: every grant (refresh and access tokens) is revoked.</summary>
    public void RevokeAll()
    {
        lock (_gate)
            foreach (var grant in _grants) grant.Revoked = true;
    }

    public bool IsRefreshTokenValid(string refreshToken)
    {
        lock (_gate) return _refreshTokens.TryGetValue(refreshToken, out var grant) && RefreshUsableUnlocked(grant);
    }

    /// <summary>How many grants (consents or IssueTokens calls) exist.</summary>
    public int GrantCount { get { lock (_gate) return _grants.Count; } }

    // ---------------------------------------------------------------- bearer check

    /// <summary>The grant behind a live access token, or null when it is unknown, expired or revoked.</summary>
    internal GrantInfo? ValidateAccessToken(string accessToken)
    {
        lock (_gate)
        {
            if (!_accessTokens.TryGetValue(accessToken, out var token)) return null;
            if (token.Expired || token.Grant.Revoked || _clock.UtcNow >= token.ExpiresAt) return null;
            return token.Grant.Info;
        }
    }

    /// <summary>Fault injection: this access token expires now.</summary>
    internal void ExpireAccessToken(string accessToken)
    {
        lock (_gate)
            if (_accessTokens.TryGetValue(accessToken, out var token)) token.Expired = true;
    }

    /// <summary>Revokes the grant of an access or refresh token; false when the token is unknown or already dead.</summary>
    public bool Revoke(string token)
    {
        lock (_gate)
        {
            Grant? grant = null;
            if (_refreshTokens.TryGetValue(token, out var byRefresh)) grant = byRefresh;
            else if (_accessTokens.TryGetValue(token, out var access) && !access.Expired && _clock.UtcNow < access.ExpiresAt) grant = access.Grant;
            if (grant == null || grant.Revoked) return false;
            // Google: revoking an access token also revokes the refresh token of the same grant.
            grant.Revoked = true;
            return true;
        }
    }

    // ---------------------------------------------------------------- consent and codes

    internal string AddPendingConsent(AuthorizationRequest request)
    {
        var id = RandomToken(18);
        lock (_gate)
        {
            PurgeUnlocked();
            _consents[id] = new PendingConsent(request, _clock.UtcNow + ConsentRequestLifetime);
        }
        return id;
    }

    /// <summary>Takes (single use) a pending consent request.</summary>
    internal AuthorizationRequest? TakePendingConsent(string? requestId)
    {
        if (string.IsNullOrEmpty(requestId)) return null;
        lock (_gate)
        {
            if (!_consents.Remove(requestId, out var pending)) return null;
            return _clock.UtcNow < pending.ExpiresAt ? pending.Request : null;
        }
    }

    /// <summary>The user consented to <paramref name="grantedScopes"/>: an authorization code (10 minutes, single use).</summary>
    internal string IssueCode(AuthorizationRequest request, IReadOnlyCollection<string> grantedScopes)
    {
        var code = "4/0" + RandomToken(48);
        lock (_gate)
        {
            _codes[code] = new AuthorizationCode(request, grantedScopes.ToHashSet(StringComparer.Ordinal), _clock.UtcNow, _clock.UtcNow + CodeLifetime);
        }
        return code;
    }

    internal TokenResult ExchangeCode(OAuthClient client, string code, string? redirectUri, string? codeVerifier)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue(code, out var entry))
                return TokenResult.Fail(400, "invalid_grant", "Malformed auth code.");
            if (entry.Used || _clock.UtcNow >= entry.ExpiresAt)
                return TokenResult.Fail(400, "invalid_grant", "Bad Request");
            if (entry.Request.ClientId != client.ClientId)
                return TokenResult.Fail(400, "invalid_grant", "Bad Request");
            if (string.IsNullOrEmpty(redirectUri))
                return TokenResult.Fail(400, "invalid_request", "Missing parameter: redirect_uri");
            if (!string.Equals(redirectUri, entry.Request.RedirectUri, StringComparison.Ordinal))
                return TokenResult.Fail(400, "redirect_uri_mismatch", "Bad Request");

            var pkce = CheckPkce(entry.Request, codeVerifier);
            if (pkce != null) return pkce;

            entry.Used = true; // single use, whatever happens next
            var grant = NewGrantUnlocked(client.ClientId, entry.Scopes, entry.Request.Offline);
            var access = NewAccessTokenUnlocked(grant);
            return TokenResult.Ok(TokenResponse(access, grant, includeRefreshToken: entry.Request.Offline));
        }
    }

    internal TokenResult Refresh(OAuthClient client, string refreshToken)
    {
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(refreshToken, out var grant) || !RefreshUsableUnlocked(grant))
                return TokenResult.Fail(400, "invalid_grant", "Token has been expired or revoked.");
            if (grant.Info.ClientId != client.ClientId)
                return TokenResult.Fail(400, "unauthorized_client", "Unauthorized");
            var access = NewAccessTokenUnlocked(grant);
            return TokenResult.Ok(TokenResponse(access, grant, includeRefreshToken: false));
        }
    }

    // ---------------------------------------------------------------- internals

    private static TokenResult? CheckPkce(AuthorizationRequest request, string? verifier)
    {
        if (request.CodeChallenge == null)
            return string.IsNullOrEmpty(verifier) ? null : TokenResult.Fail(400, "invalid_grant", "code_verifier or verifier is not needed.");
        if (string.IsNullOrEmpty(verifier))
            return TokenResult.Fail(400, "invalid_grant", "Missing code verifier.");
        var expected = request.CodeChallengeMethod == "S256"
            ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.CodeChallenge))
            ? null
            : TokenResult.Fail(400, "invalid_grant", "Invalid code verifier.");
    }

    private JsonObject TokenResponse(AccessToken access, Grant grant, bool includeRefreshToken)
    {
        var json = new JsonObject
        {
            ["access_token"] = access.Token,
            ["expires_in"] = AccessTokenLifetimeSeconds,
        };
        if (includeRefreshToken && grant.RefreshToken != null)
        {
            json["refresh_token"] = grant.RefreshToken;
            // UNCONFIRMED field name/placement: Google reports the limited life of Testing-app refresh tokens.
            if (_options.TestingApp)
                json["refresh_token_expires_in"] = (int)Math.Max(0, (grant.ConsentedAt + TestingAppRefreshLifetime - _clock.UtcNow).TotalSeconds);
        }
        json["scope"] = string.Join(' ', grant.Info.Scopes.Order(StringComparer.Ordinal));
        json["token_type"] = "Bearer";
        return json;
    }

    private bool RefreshUsableUnlocked(Grant grant)
    {
        if (grant.Revoked) return false;
        if (_options.TestingApp && _clock.UtcNow >= grant.ConsentedAt + TestingAppRefreshLifetime) return false;
        return true;
    }

    private Grant NewGrantUnlocked(string clientId, HashSet<string> scopes, bool offline)
    {
        var info = new GrantInfo(clientId, _options.Person.HealthUserId, scopes);
        var grant = new Grant(info, _clock.UtcNow) { RefreshToken = offline ? "1//0" + RandomToken(64) : null };
        _grants.Add(grant);
        if (grant.RefreshToken != null) _refreshTokens[grant.RefreshToken] = grant;
        return grant;
    }

    private AccessToken NewAccessTokenUnlocked(Grant grant)
    {
        var token = new AccessToken("ya29.a0" + RandomToken(96), grant, _clock.UtcNow + TimeSpan.FromSeconds(AccessTokenLifetimeSeconds));
        _accessTokens[token.Token] = token;
        return token;
    }

    private void PurgeUnlocked()
    {
        var now = _clock.UtcNow;
        foreach (var key in _consents.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList()) _consents.Remove(key);
    }

    private Uri RequireBaseUrl() => BaseUrl ?? throw new InvalidOperationException("The emulator is not listening yet.");

    internal static string RandomToken(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    internal static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static IReadOnlySet<string> BuildKnownScopes()
    {
        var set = new HashSet<string>(StringComparer.Ordinal)
        {
            Scopes.CloudPlatform, "openid", "email", "profile",
            "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile",
        };
        foreach (var area in new[] { "activity_and_fitness", "health_metrics_and_measurements", "sleep", "profile", "settings", "location", "ecg", "irn", "nutrition" })
            set.Add(Scopes.Prefix + area + ".readonly");
        foreach (var area in new[] { "activity_and_fitness", "health_metrics_and_measurements", "sleep", "profile", "settings", "nutrition",
                     "location", "logged_symptoms", "mindfulness", "reproductive_health" })
        {
            set.Add(Scopes.Prefix + area + ".writeonly");
        }
        // Write scopes before 2026-05-26 had no suffix.
        foreach (var area in new[] { "activity_and_fitness", "health_metrics_and_measurements", "sleep", "profile", "settings", "nutrition" })
            set.Add(Scopes.Prefix + area);
        return set;
    }

    private sealed class Grant(GrantInfo info, DateTimeOffset consentedAt)
    {
        public GrantInfo Info { get; } = info;
        public DateTimeOffset ConsentedAt { get; } = consentedAt;
        public string? RefreshToken { get; init; }
        public bool Revoked { get; set; }
    }

    private sealed class AccessToken(string token, Grant grant, DateTimeOffset expiresAt)
    {
        public string Token { get; } = token;
        public Grant Grant { get; } = grant;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public bool Expired { get; set; }
    }

    private sealed class AuthorizationCode(AuthorizationRequest request, HashSet<string> scopes, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        public AuthorizationRequest Request { get; } = request;
        public HashSet<string> Scopes { get; } = scopes;
        public DateTimeOffset IssuedAt { get; } = issuedAt;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public bool Used { get; set; }
    }

    private sealed record PendingConsent(AuthorizationRequest Request, DateTimeOffset ExpiresAt);
}

/// <summary>Who consented to what: the part of a grant the bearer check hands to the Health API.</summary>
internal sealed record GrantInfo(string ClientId, string HealthUserId, IReadOnlySet<string> Scopes);

/// <summary>A validated authorization request waiting for (or past) consent.</summary>
internal sealed record AuthorizationRequest(
    string ClientId, string RedirectUri, IReadOnlyList<string> Scopes, string? State,
    string? CodeChallenge, string? CodeChallengeMethod, bool Offline, string? Prompt);

/// <summary>A token endpoint answer: a JSON body and its status.</summary>
internal sealed record TokenResult(int Status, JsonObject Body)
{
    public static TokenResult Ok(JsonObject body) => new(200, body);

    public static TokenResult Fail(int status, string error, string description)
        => new(status, new JsonObject { ["error"] = error, ["error_description"] = description });
}
