using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthApiEmulator.Hosting;

/// <summary>
/// Google OAuth 2.0 + Google Health API v4 on 127.0.0.1: a real HTTP server. In-process for xunit
/// (<c>await using var emu = await Emulator.StartAsync(options)</c>) and standalone for Pester/demos
/// (<see cref="Program"/>). All Google hosts are served from one base URL:
/// <c>{BaseUrl}o/oauth2/v2/auth</c>, <c>{BaseUrl}token</c>, <c>{BaseUrl}revoke</c>, <c>{BaseUrl}v4/…</c>.
/// </summary>
public sealed class Emulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Emulator(WebApplication app, EmulatorOptions options, EmulatorClock clock, Uri baseUrl,
        Data.SyntheticPerson person, OAuth.OAuthServer oauth, Faults.FaultPlan faults, RequestLog requests, Health.PagingCounters paging)
    {
        _app = app; Options = options; Clock = clock; BaseUrl = baseUrl; Person = person;
        OAuth = oauth; Faults = faults; Requests = requests; Paging = paging;
    }

    public EmulatorOptions Options { get; }
    public EmulatorClock Clock { get; }

    /// <summary>e.g. http://127.0.0.1:54321/ (always ends with a slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The synthetic person: the ground truth tests compare against.</summary>
    public Data.SyntheticPerson Person { get; }

    /// <summary>Registered clients, codes, tokens; helpers for tests (mint or expire tokens).</summary>
    public OAuth.OAuthServer OAuth { get; }

    /// <summary>Faults to inject into the next matching requests.</summary>
    public Faults.FaultPlan Faults { get; }

    /// <summary>Every request the emulator answered (for request-count assertions).</summary>
    public RequestLog Requests { get; }

    /// <summary>What the list/reconcile pager did: points lost at page boundaries (evidence §1.2), empty pages.</summary>
    public Health.PagingCounters Paging { get; }

    public static async Task<Emulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var clock = new EmulatorClock(options.Now ?? DateTimeOffset.UtcNow, running: options.Now == null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();

        var person = new Data.SyntheticPerson(options.Person, options.Seed, clock, options.LegacyHeartRateCadence);
        var oauth = new OAuth.OAuthServer(options, clock);
        var faults = new Faults.FaultPlan();
        var requests = new RequestLog();
        var paging = new Health.PagingCounters();

        // Order matters: log → faults → latency/quota/bearer auth (only /v4) → endpoints.
        Pipeline.Configure(app, options, clock, oauth, faults, requests);
        HealthApiEmulator.OAuth.OAuthEndpoints.Map(app, options, clock, oauth);
        Health.HealthApi.Map(app, options, clock, person, paging);
        ControlApi.Map(app, options, clock, oauth, faults, requests, paging, person);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        oauth.BaseUrl = baseUrl;
        return new Emulator(app, options, clock, baseUrl, person, oauth, faults, requests, paging);
    }

    public async Task StopAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
