using System.Text.Json;
using FitbitPS.Engine.Auth;
using HealthApiEmulator.Hosting;
using HealthApiEmulator.OAuth;
using Emu = HealthApiEmulator.Hosting.Emulator;

namespace FitbitPS.Testing;

/// <summary>An access-token source over a real grant of the real emulator: IssueTokens for the
/// consent, the emulator's /token endpoint for every refresh (no mock of our HTTP layer). Compiled
/// into both the xunit project and the benchmark (linked source), so both sign in the same way.</summary>
public sealed class EmulatorTokenSource : IAccessTokenSource
{
    public static readonly string[] AllReadScopes =
    {
        Scopes.ActivityAndFitness, Scopes.HealthMetrics, Scopes.Sleep, Scopes.Profile, Scopes.Settings,
    };

    private readonly Uri _baseUrl;
    private readonly string _refresh;
    private readonly HttpClient _http = new();
    private string _access;

    public EmulatorTokenSource(Emu emu, IEnumerable<string>? scopes = null)
    {
        _baseUrl = emu.BaseUrl;
        var issued = emu.OAuth.IssueTokens(scopes ?? AllReadScopes);
        _access = issued.AccessToken;
        _refresh = issued.RefreshToken;
    }

    /// <summary>The access token now in use (for clients written by hand, e.g. the benchmark's naive one).</summary>
    public string CurrentAccessToken => _access;

    /// <summary>How many times the client asked for a refresh (after a 401).</summary>
    public int Refreshes { get; private set; }

    /// <summary>false: the token in use; true: a refresh now (tests and the benchmark's hand-written clients).</summary>
    public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        => GetAccessTokenAsync(forceRefresh ? _access : null, cancellationToken);

    /// <summary>Refreshes only while the token in use is the one refused (as FitbitSession does).</summary>
    public async Task<string> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (rejected == null || rejected != _access) return _access;
        Refreshes++;
        using var response = await _http.PostAsync(new Uri(_baseUrl, "token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _refresh,
            ["client_id"] = OAuthServer.DefaultClientId,
            ["client_secret"] = OAuthServer.DefaultClientSecret,
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        _access = doc.RootElement.GetProperty("access_token").GetString()!;
        return _access;
    }
}
