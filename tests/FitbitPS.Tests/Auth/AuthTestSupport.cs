using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Auth;

/// <summary>A temp cache folder that is removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() { Path = Directory.CreateTempSubdirectory("fitbitps-auth-").FullName; }
    public string Path { get; }
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

/// <summary>Everything the engine said, to scan for secrets and to assert on warnings.</summary>
public sealed class CapturedLog
{
    public ConcurrentQueue<(EngineLogLevel Level, string Message)> Messages { get; } = new();
    public EngineLogger Logger => (level, message) => Messages.Enqueue((level, message));
    public IEnumerable<string> Warnings => Messages.Where(m => m.Level == EngineLogLevel.Warning).Select(m => m.Message);
    public string All => string.Join("\n", Messages.Select(m => m.Message));
}

/// <summary>The emulator's clock as Google.Apis' IClock, so token expiry is judged on emulator time.</summary>
internal sealed class EmulatorGoogleClock(EmulatorClock clock) : Google.Apis.Util.IClock
{
    public DateTime Now => clock.UtcNow.LocalDateTime;
    public DateTime UtcNow => clock.UtcNow.UtcDateTime;
}

/// <summary>
/// Plays the person at the browser: GETs the sign-in URL, reads the emulator's consent form, posts the
/// chosen decision and scopes, and follows the 302 to our loopback listener, like a real browser would.
/// </summary>
public sealed class TestBrowser : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false });

    public bool Allow { get; set; } = true;
    /// <summary>Scopes to untick on the consent page.</summary>
    public HashSet<string> Untick { get; } = new(StringComparer.Ordinal);
    public string? LastAuthorizationUrl { get; private set; }
    public string? LastRedirect { get; private set; }
    public HttpStatusCode? ListenerStatus { get; private set; }
    public string? ListenerBody { get; private set; }
    /// <summary>Set to change the redirect before following it (e.g. to a wrong state).</summary>
    public Func<string, string>? TamperRedirect { get; set; }
    public int Opened;
    /// <summary>The browser's last trip (consent → redirect → listener page); await before asserting on the page.</summary>
    public Task? LastFollow { get; private set; }

    public Func<string, CancellationToken, Task> Open => (url, ct) =>
    {
        Interlocked.Increment(ref Opened);
        LastAuthorizationUrl = url;
        // A real browser runs beside the program: don't block the caller.
        LastFollow = Task.Run(() => FollowAsync(url, CancellationToken.None));
        return Task.CompletedTask;
    };

    /// <summary>Consent page → redirect URL (not followed).</summary>
    public async Task<string> ConsentAsync(string url, CancellationToken ct = default)
    {
        using var page = await _http.GetAsync(url, ct);
        if (page.StatusCode == HttpStatusCode.Redirect || page.StatusCode == HttpStatusCode.Found)
            return page.Headers.Location!.ToString(); // --auto-approve
        var html = await page.Content.ReadAsStringAsync(ct);
        if (page.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"consent page {(int)page.StatusCode}: {html}");
        var action = WebUtility.HtmlDecode(Regex.Match(html, "<form id=\"consent\" method=\"post\" action=\"([^\"]+)\"").Groups[1].Value);
        var requestId = WebUtility.HtmlDecode(Regex.Match(html, "name=\"request_id\" value=\"([^\"]+)\"").Groups[1].Value);
        var scopes = Regex.Matches(html, "name=\"scope\" value=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        var form = new List<KeyValuePair<string, string>> { new("request_id", requestId) };
        form.AddRange(scopes.Where(s => !Untick.Contains(s)).Select(s => new KeyValuePair<string, string>("scope", s)));
        form.Add(new("decision", Allow ? "allow" : "deny"));
        using var posted = await _http.PostAsync(action, new FormUrlEncodedContent(form), ct);
        if (posted.StatusCode != HttpStatusCode.Redirect && posted.StatusCode != HttpStatusCode.Found)
            throw new InvalidOperationException($"consent post {(int)posted.StatusCode}");
        return posted.Headers.Location!.ToString();
    }

    public async Task FollowAsync(string url, CancellationToken ct = default)
    {
        try
        {
            var redirect = await ConsentAsync(url, ct);
            if (TamperRedirect != null) redirect = TamperRedirect(redirect);
            LastRedirect = redirect;
            using var answer = await _http.GetAsync(redirect, ct);
            ListenerStatus = answer.StatusCode;
            ListenerBody = await answer.Content.ReadAsStringAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException)
        {
            ListenerBody = ex.Message;
        }
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    public void Dispose() => _http.Dispose();
}

internal static class AuthTestExtensions
{
    public static ConnectOptions ConnectTo(this HealthApiEmulator.Hosting.Emulator emu, TempFolder folder, CapturedLog log, TestBrowser? browser = null,
        TokenCacheKind cache = TokenCacheKind.Passphrase, string profile = "default") => new()
    {
        Profile = profile,
        ClientId = HealthApiEmulator.OAuth.OAuthServer.DefaultClientId,
        ClientSecret = HealthApiEmulator.OAuth.OAuthServer.DefaultClientSecret,
        EndpointUri = emu.BaseUrl,
        CacheFolder = folder.Path,
        TokenCache = cache,
        Passphrase = cache == TokenCacheKind.Passphrase ? "correct horse battery staple" : null,
        Log = log.Logger,
        OpenBrowser = browser?.Open,
        Timeout = TimeSpan.FromSeconds(30),
        Clock = new EmulatorGoogleClock(emu.Clock),
    };

    public static SessionOptions Reopen(this ConnectOptions o) => new()
    {
        Profile = o.Profile, CacheFolder = o.CacheFolder, TokenCache = o.TokenCache, Passphrase = o.Passphrase,
        Log = o.Log, Clock = o.Clock, NonInteractive = true, ConfigureClient = o.ConfigureClient,
    };

    /// <summary>Every byte of every file under a folder, as text (to search for secrets).</summary>
    public static string AllFileText(string folder)
    {
        var sb = new StringBuilder();
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            try { sb.Append(Encoding.UTF8.GetString(File.ReadAllBytes(f))).Append('\n'); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return sb.ToString();
    }
}
