using System.Net;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Health;

/// <summary>Per-type scopes (both of Google's 403 reasons) and users/me identity, profile, settings.</summary>
public sealed class ScopeAndProfileTests : IAsyncLifetime
{
    private HealthApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await HealthApiHarness.StartAsync();
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("weight", Scopes.HealthMetrics)]
    [InlineData("body-fat", Scopes.HealthMetrics)]
    [InlineData("heart-rate", Scopes.HealthMetrics)]
    [InlineData("daily-resting-heart-rate", Scopes.HealthMetrics)]
    [InlineData("oxygen-saturation", Scopes.HealthMetrics)]
    [InlineData("steps", Scopes.ActivityAndFitness)]
    [InlineData("active-zone-minutes", Scopes.ActivityAndFitness)]
    [InlineData("exercise", Scopes.ActivityAndFitness)]
    [InlineData("daily-vo2-max", Scopes.ActivityAndFitness)]
    [InlineData("sleep", Scopes.Sleep)]
    public async Task A_type_needs_its_own_scope(string type, string scope)
    {
        var ok = await _h.ListAsync(type, pageSize: 1, token: _h.TokenFor(scope));
        Assert.True(ok.Status == HttpStatusCode.OK, ok.Raw);

        var otherRead = new[] { Scopes.HealthMetrics, Scopes.ActivityAndFitness, Scopes.Sleep }.First(s => s != scope);
        var (status, body, _) = await _h.ListAsync(type, pageSize: 1, token: _h.TokenFor(otherRead));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var error = HealthApiHarness.Error(body);
        Assert.Equal("PERMISSION_DENIED", error.GetProperty("status").GetString());
        Assert.Equal("MISSING_OAUTH_SCOPE", HealthApiHarness.Reason(body));
        Assert.Contains(scope, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_without_any_read_scope_is_refused_before_anything_else()
    {
        var token = _h.TokenFor(Scopes.Profile, Scopes.Settings);
        foreach (var call in new Func<Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body, string Raw)>>[]
        {
            () => _h.ListAsync("steps", token: token),
            () => _h.ListAsync("sleep", reconcile: true, token: token),
            () => _h.PostAsync("v4/users/me/dataTypes/steps/dataPoints:dailyRollUp", HealthApiHarness.DailyBody(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)), token),
            () => _h.ListAsync("no-such-type", token: token),
        })
        {
            var (status, body, _) = await call();
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("ACCESS_TOKEN_SCOPE_INSUFFICIENT", HealthApiHarness.Reason(body));
        }
    }

    [Fact]
    public async Task Roll_ups_enforce_the_type_scope_too()
    {
        var (status, body, _) = await _h.DailyRollUpAsync("weight", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 8), token: _h.TokenFor(Scopes.ActivityAndFitness));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("MISSING_OAUTH_SCOPE", HealthApiHarness.Reason(body));
    }

    [Fact]
    public async Task Identity_answers_to_any_read_scope()
    {
        foreach (var scope in new[] { Scopes.Sleep, Scopes.Profile, Scopes.Settings, Scopes.ActivityAndFitness })
        {
            var (status, body, _) = await _h.GetAsync("v4/users/me/identity", _h.TokenFor(scope));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("users/me/identity", body.GetProperty("name").GetString());
            Assert.Equal(_h.Person.Options.HealthUserId, body.GetProperty("healthUserId").GetString());
            Assert.Equal(_h.Person.Options.LegacyUserId, body.GetProperty("legacyUserId").GetString());
        }
        var (refused, _, _) = await _h.GetAsync("v4/users/me/identity", _h.TokenFor(Scopes.Location));
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Profile_needs_the_profile_scope_and_dates_membership()
    {
        var (status, body, _) = await _h.GetAsync("v4/users/me/profile", _h.TokenFor(Scopes.Profile));
        Assert.Equal(HttpStatusCode.OK, status);
        var start = body.GetProperty("membershipStartDate");
        Assert.Equal((2021, 6, 1), (start.GetProperty("year").GetInt32(), start.GetProperty("month").GetInt32(), start.GetProperty("day").GetInt32()));
        Assert.Equal(37, body.GetProperty("age").GetInt32()); // born 1989-07-14, now 2026-11-20
        var (denied, deniedBody, _) = await _h.GetAsync("v4/users/me/profile", _h.TokenFor(Scopes.Settings, Scopes.ActivityAndFitness));
        Assert.Equal(HttpStatusCode.Forbidden, denied);
        Assert.Equal("ACCESS_TOKEN_SCOPE_INSUFFICIENT", HealthApiHarness.Reason(deniedBody));
    }

    [Fact]
    public async Task Settings_give_the_home_zone_and_its_offset_now()
    {
        var (status, body, _) = await _h.GetAsync("v4/users/me/settings", _h.TokenFor(Scopes.Settings));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("America/New_York", body.GetProperty("timeZone").GetString());
        Assert.Equal("-18000s", body.GetProperty("utcOffset").GetString()); // November: EST

        await using var summer = await HealthApiHarness.StartAsync(now: new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
        var (_, july, _) = await summer.GetAsync("v4/users/me/settings");
        Assert.Equal("-14400s", july.GetProperty("utcOffset").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _h.GetAsync("v4/users/me/settings", _h.TokenFor(Scopes.Profile))).Status);
    }

    [Fact]
    public async Task Paired_devices_need_the_settings_scope()
    {
        // evidence §0.5, §1.7: only googlehealth.settings.readonly (Discovery; confirmed live)
        var (ok, body, raw) = await _h.GetAsync("v4/users/me/pairedDevices", _h.TokenFor(Scopes.Settings));
        Assert.True(ok == HttpStatusCode.OK, raw);
        Assert.NotEmpty(body.GetProperty("pairedDevices").EnumerateArray());
        foreach (var scope in new[] { Scopes.ActivityAndFitness, Scopes.HealthMetrics, Scopes.Sleep, Scopes.Profile })
        {
            var (status, refused, _) = await _h.GetAsync("v4/users/me/pairedDevices", _h.TokenFor(scope, Scopes.Profile));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("PERMISSION_DENIED", HealthApiHarness.Error(refused).GetProperty("status").GetString());
            Assert.Equal("ACCESS_TOKEN_SCOPE_INSUFFICIENT", HealthApiHarness.Reason(refused));
        }
    }

    [Fact]
    public async Task An_unlinked_account_answers_failed_precondition()
    {
        await using var h = await HealthApiHarness.StartAsync(configure: o => o.Person.AccountLinked = false);
        var (status, body, _) = await h.ListAsync("steps");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("FAILED_PRECONDITION", HealthApiHarness.Error(body).GetProperty("status").GetString());
        Assert.Equal("ACCOUNT_NOT_LINKED", HealthApiHarness.Reason(body));
        var help = HealthApiHarness.Error(body).GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.Help");
        Assert.Equal(GoogleError.AccountSignUpUrl, help.GetProperty("links")[0].GetProperty("url").GetString());
        Assert.Equal(GoogleError.AccountSignUpUrl, HealthApiHarness.ErrorInfo(body).GetProperty("metadata").GetProperty("signUpUrl").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await h.GetAsync("v4/users/me/identity")).Status);
    }

    [Theory]
    [InlineData("sleep")]
    [InlineData("exercise")]
    [InlineData("weight")]
    [InlineData("body-fat")]
    [InlineData("height")]
    public async Task Identifiable_points_have_unique_19_digit_names_and_can_be_fetched_by_them(string type)
    {
        var (points, _) = await _h.ListAllAsync(type, pageSize: 25, maxPoints: 3);
        Assert.NotEmpty(points);
        var names = points.Select(p => p.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches($"^users/{_h.Person.Options.HealthUserId}/dataTypes/{type}/dataPoints/[1-9][0-9]{{18}}$", n));
        foreach (var p in points.Take(3))
        {
            var (status, point, _) = await _h.GetAsync($"v4/users/me/dataTypes/{type}/dataPoints/" + p.GetProperty("name").GetString()!.Split('/')[^1]);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(p.GetRawText(), point.GetRawText());
        }
        // the name exactly as list returned it (numeric user id) works for get
        var byName = await _h.GetAsync("v4/" + names[0]);
        Assert.Equal(HttpStatusCode.OK, byName.Status);
        Assert.Equal(points[0].GetRawText(), byName.Body.GetRawText());
        var (missing, _, _) = await _h.GetAsync($"v4/users/me/dataTypes/{type}/dataPoints/1000000000000000001");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }
}
