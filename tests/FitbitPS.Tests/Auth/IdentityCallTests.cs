using FitbitPS.Engine.Auth;
using HealthApiEmulator.Faults;
using HealthApiEmulator.Hosting;
using Xunit;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// Connect-Fitbit's last step asks the Health API who signed in (users/me/identity). Google's transient
/// answers there must not end a sign-in the person just completed in the browser; an answer that cannot
/// be read must say so in words.
/// </summary>
public sealed class IdentityCallTests : SignInTestBase
{

    private int IdentityRequests => _emu.Requests.All.Count(r => r.Path.Contains("identity"));

    [Fact]
    public async Task Sign_in_finishes_after_two_503s_from_the_identity_call()
    {
        var fault = _emu.Faults.Add(FaultKind.Unavailable, count: 2, pathContains: "identity");

        using var session = await FitbitAuthenticator.ConnectAsync(_emu.ConnectTo(_folder, _log, _browser), CancellationToken.None);

        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        Assert.Equal(2, fault.Hits);
        Assert.Equal(3, IdentityRequests);
    }

    [Fact]
    public async Task Sign_in_finishes_after_a_connection_reset_and_a_502_from_the_identity_call()
    {
        _emu.Faults.Add(FaultKind.ConnectionReset, pathContains: "identity");
        _emu.Faults.Add(FaultKind.HtmlErrorPage, pathContains: "identity");

        using var session = await FitbitAuthenticator.ConnectAsync(_emu.ConnectTo(_folder, _log, _browser), CancellationToken.None);

        Assert.Equal(_emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        Assert.Equal(3, IdentityRequests);
    }

    [Fact]
    public async Task A_malformed_identity_answer_is_one_clear_identity_error()
    {
        _emu.Faults.Add(FaultKind.MalformedJson, count: 5, pathContains: "identity");

        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(_emu.ConnectTo(_folder, _log, _browser), CancellationToken.None));

        Assert.Equal(AuthErrorIds.IdentityFailed, ex.ErrorId);
        Assert.Contains("could not be read", ex.Message);
        Assert.Contains("Connect-Fitbit", ex.RecommendedAction);
        Assert.DoesNotContain("Unexpected character", ex.Message); // no raw parser text
    }

    [Fact]
    public async Task An_identity_answer_without_a_health_user_id_is_the_same_clear_error()
    {
        // Valid JSON of the wrong shape: what a proxy or captive portal may answer with 200.
        _emu.Faults.AddResponse(200, "{}", count: 5, pathContains: "identity");

        var ex = await Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.ConnectAsync(_emu.ConnectTo(_folder, _log, _browser), CancellationToken.None));

        Assert.Equal(AuthErrorIds.IdentityFailed, ex.ErrorId);
        Assert.Contains("could not be read", ex.Message);
        Assert.Contains("healthUserId", ex.Message);
    }
}
