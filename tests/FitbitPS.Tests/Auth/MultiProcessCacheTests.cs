using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// Real processes sharing one profile: 20 FitbitPS.TestHost processes started at once refresh and use
/// the same cache; a writer killed with SIGKILL mid-write leaves a readable cache.
/// </summary>
public sealed class MultiProcessCacheTests : IAsyncLifetime
{
    private const string Passphrase = "correct horse battery staple";
    private HealthApiEmulator.Hosting.Emulator _emu = null!;
    private readonly TempFolder _folder = new();
    private readonly CapturedLog _log = new();
    private readonly TestBrowser _browser = new();

    // Real time on both sides: the test host processes judge expiry by the system clock.
    public async Task InitializeAsync() => _emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _emu.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public Task Twenty_processes_refresh_and_use_one_passphrase_profile() => TwentyProcesses(TokenCacheKind.Passphrase);

    [KeyringFact]
    public Task Twenty_processes_refresh_and_use_one_protected_profile() => TwentyProcesses(TokenCacheKind.Protected);

    private async Task TwentyProcesses(TokenCacheKind kind)
    {
        var options = _emu.ConnectTo(_folder, _log, _browser, kind);
        options.Clock = null;
        options.Passphrase = kind == TokenCacheKind.Passphrase ? Passphrase : null;
        using (await FitbitAuthenticator.ConnectAsync(options, CancellationToken.None)) { }
        var store = new ProfileStore(TokenStores.Create(kind, _folder.Path, Passphrase));
        var before = store.Read("default")!.Token.AccessToken;

        // Google expired the token early: every process first gets a 401 and must refresh.
        _emu.OAuth.ExpireAccessTokens();
        var tokenCallsBefore = _emu.Requests.Count(r => r.Path == "/token");
        var env = new Dictionary<string, string?> { [PassphraseBlobStore.PassphraseVariable] = Passphrase, ["FITBITPS_HOME"] = null };
        var runs = Enumerable.Range(0, 20)
            .Select(_ => TestHostProcess.RunAsync(env, "auth", "use", "--home", _folder.Path, "--profile", "default", "--cache", kind.ToString()))
            .ToList();
        var results = await Task.WhenAll(runs);

        foreach (var (exit, json, stdout, stderr) in results)
        {
            Assert.True(exit == 0, $"exit {exit}: {stdout} {stderr}");
            Assert.Equal(_emu.Person.Options.HealthUserId, json.GetProperty("healthUserId").GetString());
        }
        // One refresh served everybody: later processes adopted the token the first one stored.
        Assert.Equal(1, _emu.Requests.Count(r => r.Path == "/token") - tokenCallsBefore);
        Assert.Single(results.Select(r => r.Json.GetProperty("tokenHash").GetString()).Distinct());

        // The cache is valid afterwards and holds the new, working token.
        var after = store.Read("default")!;
        Assert.NotEqual(before, after.Token.AccessToken);
        Assert.True(_emu.OAuth.IsRefreshTokenValid(after.Token.RefreshToken));
        using var session = await FitbitAuthenticator.OpenAsync(options.Reopen(), CancellationToken.None);
        Assert.Equal(after.Token.AccessToken, await session.GetAccessTokenAsync(false, CancellationToken.None));
    }

    [Theory]
    [InlineData(TokenCacheKind.Passphrase)]
    [InlineData(TokenCacheKind.Plaintext)]
    public async Task A_writer_killed_mid_write_leaves_a_readable_cache(TokenCacheKind kind)
    {
        var env = new Dictionary<string, string?> { [PassphraseBlobStore.PassphraseVariable] = Passphrase };
        var store = new ProfileStore(TokenStores.Create(kind, _folder.Path, Passphrase));
        var random = new Random(7);
        for (var round = 0; round < 6; round++)
        {
            using var writer = TestHostProcess.Start(env, "auth", "write-loop", "--home", _folder.Path, "--profile", "killed", "--cache", kind.ToString());
            var ready = await writer.StandardOutput.ReadLineAsync();
            Assert.Contains("ready", ready);
            await Task.Delay(random.Next(20, 250));
            writer.Kill(); // SIGKILL: no finally blocks, no flush
            await writer.WaitForExitAsync();

            var record = store.Read("killed"); // throws CacheTampered/Unreadable if half-written
            Assert.NotNull(record);
            Assert.Equal(2, record!.RequestedScopes.Count);
            Assert.StartsWith("write-", record.RequestedScopes[1]);
        }
        // A killed writer may leave its temp file; it is never mistaken for a profile.
        Assert.Equal(new[] { "killed" }, store.ListProfiles());
    }
}
