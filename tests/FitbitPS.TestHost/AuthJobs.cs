using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using FitbitPS.Engine.Core;

namespace FitbitPS.TestHost;

/// <summary>
/// Token-cache jobs for multi-process tests (owned by the auth work). Every job prints one JSON line;
/// never a token (only a short hash, so tests can tell whether processes shared one).
///   auth use   --home DIR --profile P --cache KIND [--force-refresh]   sign in silently, get a token, GET v4/users/me/identity
///   auth read  --home DIR --profile P --cache KIND                     read the profile record
///   auth write-loop --home DIR --profile P --cache KIND                rewrite the record forever (for kill -9 tests)
///   auth probe --home DIR                                              open the Protected store (keyring availability)
///   auth lock-then-read --home DIR                                     store in the keyring, lock its collection over D-Bus, read again
/// The passphrase comes from FITBITPS_CACHE_PASSPHRASE.
/// </summary>
internal static class AuthJobs
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0) return Usage();
        var opt = Options(args.Skip(1).ToArray());
        var home = opt.GetValueOrDefault("home");
        var profile = opt.GetValueOrDefault("profile") ?? "default";
        var kind = Enum.Parse<TokenCacheKind>(opt.GetValueOrDefault("cache") ?? "Protected", ignoreCase: true);
        try
        {
            switch (args[0])
            {
                case "use": return await UseAsync(home, profile, kind, opt.ContainsKey("force-refresh"));
                case "read":
                {
                    var r = new ProfileStore(TokenStores.Create(kind, home)).Read(profile);
                    return Print(new { ok = r?.Token?.RefreshToken != null, profile = r?.Profile, scopes = r?.RequestedScopes?.Count });
                }
                case "write-loop": return WriteLoop(home, profile, kind);
                case "lock-then-read": return await LockThenReadAsync(home);
                case "probe":
                {
                    var store = new ProfileStore(TokenStores.Create(TokenCacheKind.Protected, home));
                    store.Read("probe");
                    return Print(new { ok = true });
                }
                default: return Usage();
            }
        }
        catch (FitbitEngineException ex)
        {
            Print(new { ok = false, errorId = ex.ErrorId, message = ex.Message, recommendedAction = ex.RecommendedAction });
            return 2;
        }
    }

    private static async Task<int> UseAsync(string? home, string profile, TokenCacheKind kind, bool forceRefresh)
    {
        var log = new StringBuilder();
        var options = new SessionOptions
        {
            Profile = profile, CacheFolder = home, TokenCache = kind, NonInteractive = true,
            Log = (level, message) => { lock (log) log.AppendLine($"{level}: {message}"); },
        };
        using var session = await FitbitAuthenticator.OpenAsync(options, CancellationToken.None);
        var token = await session.GetAccessTokenAsync(forceRefresh, CancellationToken.None);
        using var http = new HttpClient(new HttpClientHandler { UseProxy = false });
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.Endpoints.HealthApiBase, "v4/users/me/identity"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            if ((int)response.StatusCode == 401 && attempt == 0)
            {
                token = await session.GetAccessTokenAsync(true, CancellationToken.None);
                continue;
            }
            var body = await response.Content.ReadAsStringAsync();
            var id = response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("healthUserId").GetString() : null;
            return Print(new
            {
                ok = response.IsSuccessStatusCode, status = (int)response.StatusCode, healthUserId = id,
                tokenHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12],
                log = log.ToString(),
            }) == 0 && response.IsSuccessStatusCode ? 0 : 3;
        }
    }

    private static async Task<int> LockThenReadAsync(string? home)
    {
        var store = new ProfileStore(TokenStores.Create(TokenCacheKind.Protected, home));
        store.Update("locked", r => new ProfileRecord { Token = new Google.Apis.Auth.OAuth2.Responses.TokenResponse { RefreshToken = "1//locked-test" } });
        var psi = new System.Diagnostics.ProcessStartInfo("dbus-send") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "--session", "--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                     "org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login" })
            psi.ArgumentList.Add(a);
        using (var p = System.Diagnostics.Process.Start(psi)!) { await p.StandardOutput.ReadToEndAsync(); await p.WaitForExitAsync(); if (p.ExitCode != 0) return Print(new { ok = false, errorId = "lock-failed" }) + 4; }
        var again = new ProfileStore(TokenStores.Create(TokenCacheKind.Protected, home)).Read("locked");
        return Print(new { ok = again?.Token?.RefreshToken == "1//locked-test" });
    }

    private static int WriteLoop(string? home, string profile, TokenCacheKind kind)
    {
        var store = new ProfileStore(TokenStores.Create(kind, home));
        var pad = new string('x', 200_000); // big writes: a kill lands mid-write more often
        for (long i = 0; ; i++)
        {
            store.Update(profile, r =>
            {
                r ??= new ProfileRecord();
                r.RequestedScopes = [pad, "write-" + i];
                return r;
            });
            if (i == 0) { Console.WriteLine("{\"ready\":true}"); Console.Out.Flush(); }
        }
    }

    private static Dictionary<string, string?> Options(string[] args)
    {
        var d = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var key = args[i][2..];
            d[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
        }
        return d;
    }

    private static int Print(object o)
    {
        Console.WriteLine(JsonSerializer.Serialize(o));
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: FitbitPS.TestHost auth use|read|write-loop|probe --home DIR --profile P --cache Protected|Passphrase|Process|Plaintext [--force-refresh]");
        return 64;
    }
}
