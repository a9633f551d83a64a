using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using FitbitPS.Tests.Auth;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Faults;
using HealthApiEmulator.Hosting;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Faults;

/// <summary>
/// A signed-in profile under faults of the token endpoint and the API: the saved refresh token is forgotten on
/// invalid_grant only (item 4), one process refreshes once however many late 401s come back (item 14), and a
/// sign-in that is gone or an access that was withdrawn ends a long read with one error (item 5). Real
/// FitbitSession, real token file (plaintext cache, for speed), real emulator.
/// </summary>
public sealed class SessionFaultTests : SignInTestBase
{
    protected override EmulatorOptions EmulatorSettings() { var o = base.EmulatorSettings(); o.QuotaPerMinute = 0; return o; }

    private ConnectOptions Options() => _emu.ConnectTo(_folder, _log, _browser, TokenCacheKind.Plaintext);

    private ProfileRecord Stored() => new ProfileStore(new PlaintextBlobStore(_folder.Path)).Read("default")!;

    private int RefreshRequests => _emu.Requests.Count(r => r.Path == "/token" && r.Body != null && r.Body.Contains("grant_type=refresh_token"));

    private HealthClient Client(FitbitSession session) => new(session, session.Endpoints.HealthApiBase)
    {
        Clock = () => _emu.Clock.UtcNow,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    public static readonly TheoryData<int, string, string?, string> TokenEndpointAnswers = new()
    {
        { 400, "{\"error\":\"invalid_request\",\"error_description\":\"Missing required parameter: refresh_token\"}", "application/json", "invalid_request" },
        { 401, "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}", "application/json", "invalid_client" },
        { 403, "<!DOCTYPE html><html><head><title>Error 403 (Forbidden)!!1</title></head><body><p><b>403.</b> That's an error.</p></body></html>", "text/html; charset=UTF-8", "403" },
        { 200, "{\"access_token\": \"ya29.", "application/json", "HTTP 200" },
        { 200, "", "application/json", "holds no access token" },
        { 200, "{\"token_type\":\"Bearer\"}", "application/json", "holds no access token" },
    };

    [Theory]
    [MemberData(nameof(TokenEndpointAnswers))]
    public async Task A_refresh_answered_with_anything_but_invalid_grant_keeps_the_saved_sign_in(int status, string body, string? contentType, string expected)
    {
        using (var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None))
        {
            var refreshToken = Stored().Token.RefreshToken;
            _emu.Faults.AddResponse(status, body, contentType, pathContains: "/token");

            var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => session.GetAccessTokenAsync(true, CancellationToken.None));

            Assert.NotEqual(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
            Assert.Contains(expected, ex.Message);
            Assert.Contains("was kept", ex.Message);
            Assert.DoesNotContain("Testing", ex.Message);
            Assert.DoesNotContain("Object reference", ex.Message);
            Assert.Equal(refreshToken, Stored().Token?.RefreshToken);
            Assert.Null(Stored().RefreshRejectedUtc);
        }

        // The next command signs in silently with the same refresh token: nothing for the person to do.
        using var again = await FitbitAuthenticator.OpenAsync(Options().Reopen(), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(await again.GetAccessTokenAsync(true, CancellationToken.None)));
    }

    [Fact]
    public async Task Only_invalid_grant_forgets_the_refresh_token()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        _emu.Faults.AddResponse(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}", pathContains: "/token");

        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => session.GetAccessTokenAsync(true, CancellationToken.None));

        Assert.Equal(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
        Assert.Null(Stored().Token);
        Assert.NotNull(Stored().RefreshRejectedUtc);
    }

    [Fact]
    public async Task A_token_endpoint_503_is_retried_and_the_refresh_succeeds()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        var before = Stored().Token.AccessToken;
        _emu.Faults.Add(FaultKind.Unavailable, 1, pathContains: "/token");

        var token = await session.GetAccessTokenAsync(true, CancellationToken.None);

        Assert.NotEqual(before, token);
        Assert.Equal(token, Stored().Token.AccessToken);
    }

    [Fact]
    public async Task Late_401s_for_requests_sent_before_a_refresh_do_not_refresh_again()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        using var client = Client(session);
        var reader = new FitbitReader(client) { Lookahead = 4 };
        // Four requests in flight at a time, each 300 ms; Google ends the access token early under the first
        // of them: it and the three sent with the same token come back 401.
        _emu.Options.Latency = TimeSpan.FromMilliseconds(300);
        _emu.Faults.Add(FaultKind.ExpiredAccessToken, 1);
        var before = RefreshRequests;

        var days = reader.ReadActivityDays(new CivilRange(new DateTime(2025, 11, 20), new DateTime(2026, 11, 19)), CancellationToken.None).Records();

        Assert.Equal(365, days.Count);
        Assert.True(_emu.Requests.HealthApi.Count(r => r.Status == 401) >= 2, "several requests came back 401");
        Assert.Equal(1, RefreshRequests - before);
    }

    [Fact]
    public async Task A_grant_revoked_during_a_long_read_ends_it_with_one_refresh_token_error()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        using var client = Client(session);
        var reader = new FitbitReader(client);
        var before = RefreshRequests;
        int seen = 0;
        // The person removes the app's access after the read has started: from the 5th request on, every answer is
        // 401 and the refresh token is dead (invalid_grant).
        _emu.Faults.Add(FaultKind.RevokedToken, 1, predicate: r => r.Path.StartsWithSegments("/v4") && Interlocked.Increment(ref seen) == 5);

        var items = new List<ReadItem<Engine.Records.ActivityDay>>();
        var ex = Assert.Throws<FitbitAuthException>(() =>
        {
            foreach (var item in reader.ReadActivityDays(new CivilRange(new DateTime(2021, 11, 20), new DateTime(2026, 11, 19)), CancellationToken.None))
                items.Add(item);
        });

        Assert.Equal(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
        Assert.Contains("Connect-Fitbit", ex.RecommendedAction);
        Assert.DoesNotContain(items, i => i.IsError); // one error for the command, not one per chunk and data type
        Assert.Equal(1, RefreshRequests - before); // one refresh, refused; not one per failed request
        Assert.True(_emu.Requests.HealthApi.Count < 40, $"{_emu.Requests.HealthApi.Count} requests after the grant died: " + string.Join(" ", _emu.Requests.All.Select(r => r.Status + ":" + r.Path.Split("/").Last())));
    }

    [Fact]
    public async Task Access_withdrawn_at_Google_ends_a_long_read_with_one_error_that_says_how_to_restore_it()
    {
        using var session = await FitbitAuthenticator.ConnectAsync(Options(), CancellationToken.None);
        using var client = Client(session);
        var reader = new FitbitReader(client);
        var denied = _emu.Faults.Add(FaultKind.PermissionDenied, 100000);

        var items = new List<ReadItem<Engine.Records.ActivityDay>>();
        var ex = Assert.Throws<AccessDeniedException>(() =>
        {
            foreach (var item in reader.ReadActivityDays(new CivilRange(new DateTime(2021, 11, 20), new DateTime(2026, 11, 19)), CancellationToken.None))
                items.Add(item);
        });

        Assert.Equal("FitbitAccessDenied", ex.ErrorId);
        Assert.Contains("RESOURCE_PERMISSION_DENIED", ex.Message);
        Assert.Contains(AccessDeniedException.ConnectionsPage, ex.RecommendedAction);
        Assert.Empty(items);
        Assert.True(denied.Hits <= 8, $"{denied.Hits} requests were refused before the read stopped"); // the ones already in flight
    }
}
