using FitbitPS.Engine;
using System.Text.RegularExpressions;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.TokenStore;
using FitbitPS.Tests.Auth;
using FitbitPS.Tests.Readers;
using HealthApiEmulator.Faults;
using HealthApiEmulator.Hosting;
using Xunit;
using AuthFolder = FitbitPS.Tests.Auth.TempFolder;
using Emu = HealthApiEmulator.Hosting.Emulator;
using ExportFolderOnDisk = FitbitPS.Tests.Export.TempFolder;
using FitbitPS.Engine.Core;

namespace FitbitPS.Tests.Faults;

/// <summary>
/// docs/fault-matrix.md, run: every fault kind × {reader, export, Connect-Fitbit, refresh}, each cell against a
/// fresh emulator and a really signed-in profile, checked for the outcome the table names (finished, or exactly
/// one error with that ErrorId) and for nothing lost (a finished command has every row of a clean read; after an
/// error, the same command finishes with every row once the fault is gone, on the sign-in it had, except after
/// invalid_grant). The table is parsed from the document, so the document cannot drift from the code.
/// </summary>
public class FaultMatrixTests
{
    private static readonly CivilRange Month = new(new DateTime(2026, 10, 20), new DateTime(2026, 11, 19));
    private static readonly string[] Columns = { "Reader", "Export", "Connect-Fitbit", "Refresh" };

    public static TheoryData<string, string, string> Cells()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (fault, column, expected) in ReadTable()) data.Add(fault, column, expected);
        return data;
    }

    /// <summary>(fault, column, cell) for every cell of the table between the fault-matrix markers.</summary>
    internal static IEnumerable<(string Fault, string Column, string Expected)> ReadTable()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "fault-matrix.md"));
        var table = Regex.Match(text, "<!-- fault-matrix -->(.*?)<!-- /fault-matrix -->", RegexOptions.Singleline).Groups[1].Value;
        var lines = table.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|')).ToList();
        var header = Split(lines[0]);
        Assert.Equal(new[] { "Fault" }.Concat(Columns), header);
        foreach (var line in lines.Skip(2))
        {
            var cells = Split(line);
            var fault = Regex.Match(cells[0], "^`([^`]+)`").Groups[1].Value;
            for (int i = 1; i < cells.Length; i++) yield return (fault, header[i], cells[i]);
        }
    }

    private static string[] Split(string line) => line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FitbitPS.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("FitbitPS.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_table_covers_every_fault_the_tests_know_and_every_column()
    {
        var cells = ReadTable().ToList();
        Assert.Equal(Faults.Keys.OrderBy(k => k), cells.Select(c => c.Fault).Distinct().OrderBy(k => k));
        Assert.All(cells, c => Assert.Matches("^(finished|error `Fitbit[A-Za-z]+`|—)$", c.Expected));
        // Every fault kind the emulator has appears in some row (the matrix is about all of them).
        var used = Faults.Values.Select(f => f.Kind).ToHashSet();
        Assert.All(Enum.GetValues<FaultKind>(), k => Assert.Contains(k, used));
    }

    // ------------------------------------------------------------------ the faults of the rows

    private sealed record FaultSpec(FaultKind Kind, int Count, bool Token = false, Action<Fault>? Adjust = null);

    private const string Html403 = "<!DOCTYPE html><html><head><title>Error 403 (Forbidden)!!1</title></head><body><p><b>403.</b> That's an error.</p></body></html>";

    private static readonly Dictionary<string, FaultSpec> Faults = new()
    {
        ["latency"] = new(FaultKind.Latency, 1, Adjust: f => f.Latency = TimeSpan.FromSeconds(2)),
        ["429-retry-after"] = new(FaultKind.RateLimited, 2, Adjust: f => f.RetryAfterSeconds = 1),
        ["429-quota"] = new(FaultKind.RateLimited, 1, Adjust: f => f.RetryAfterSeconds = 0),
        ["503"] = new(FaultKind.Unavailable, 2),
        ["503-persistent"] = new(FaultKind.Unavailable, 1_000_000),
        ["500"] = new(FaultKind.Internal, 2),
        ["html-502"] = new(FaultKind.HtmlErrorPage, 2),
        ["reset"] = new(FaultKind.ConnectionReset, 2),
        ["down"] = new(FaultKind.ConnectionReset, 1_000_000),
        ["truncated"] = new(FaultKind.TruncatedBody, 1),
        ["stalled"] = new(FaultKind.StalledBody, 1, Adjust: f => f.StallFor = TimeSpan.FromSeconds(60)),
        ["malformed"] = new(FaultKind.MalformedJson, 1),
        ["malformed-persistent"] = new(FaultKind.MalformedJson, 1_000_000),
        ["wrong-shape"] = new(FaultKind.Respond, 1, Adjust: f => f.Body = "{\"dataPoints\":\"oops\"}"),
        ["wrong-shape-persistent"] = new(FaultKind.Respond, 1_000_000, Adjust: f => f.Body = "{\"dataPoints\":\"oops\"}"),
        ["empty"] = new(FaultKind.Respond, 1, Adjust: f => f.Body = "{}"),
        ["expired-token"] = new(FaultKind.ExpiredAccessToken, 1),
        ["revoked"] = new(FaultKind.RevokedToken, 1),
        ["access-withdrawn"] = new(FaultKind.PermissionDenied, 1_000_000),
        ["token-503"] = new(FaultKind.Unavailable, 1, Token: true),
        ["token-down"] = new(FaultKind.ConnectionReset, 1_000_000, Token: true),
        ["token-invalid_request"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => { f.Status = 400; f.Body = "{\"error\":\"invalid_request\",\"error_description\":\"Missing required parameter.\"}"; }),
        ["token-invalid_client"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => { f.Status = 401; f.Body = "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}"; }),
        ["token-html-403"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => { f.Status = 403; f.ContentType = "text/html; charset=UTF-8"; f.Body = Html403; }),
        ["token-malformed"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => f.Body = "{\"access_token\": \"ya29."),
        ["token-empty"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => f.Body = ""),
        ["token-invalid_grant"] = new(FaultKind.Respond, 1_000_000, Token: true, Adjust: f => { f.Status = 400; f.Body = "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"; }),
    };

    // ------------------------------------------------------------------ one cell

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Cell(string fault, string column, string expected)
    {
        var spec = Faults[fault];
        if (expected == "—")
        {
            // Not applicable: an API fault never reaches a refresh (only the token endpoint does).
            Assert.True(column == "Refresh" && !spec.Token, $"{fault} × {column}: only API faults may skip the Refresh column");
            return;
        }
        await using var world = await World.StartAsync();
        var outcome = column switch
        {
            "Reader" => await world.ReadAsync(spec),
            "Export" => await world.ExportAsync(spec),
            "Connect-Fitbit" => await world.ConnectAsync(spec),
            "Refresh" => await world.RefreshAsync(spec),
            _ => throw new InvalidOperationException(column),
        };
        if (expected == "finished")
            Assert.True(outcome.Count == 0, $"{fault} × {column}: expected finished, got {string.Join(", ", outcome)}");
        else
        {
            var id = Regex.Match(expected, "`([^`]+)`").Groups[1].Value;
            Assert.True(outcome.Count == 1 && outcome[0] == id, $"{fault} × {column}: expected one {id}, got [{string.Join(", ", outcome)}]");
        }
    }

    /// <summary>An emulator, a profile signed in through the browser (plaintext cache, for speed), clients with short back-off.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly AuthFolder _cache = new();
        private readonly ExportFolderOnDisk _export = new();
        private readonly CapturedLog _log = new();
        private readonly TestBrowser _browser = new();
        private Emu _emu = null!;
        private FitbitSession _session = null!;
        private FitbitConnection _connection = null!; // owns _session

        public static async Task<World> StartAsync()
        {
            var w = new World();
            w._emu = await Emu.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), QuotaPerMinute = 0 });
            w._session = await FitbitAuthenticator.ConnectAsync(w.Options(), CancellationToken.None);
            w._connection = new FitbitConnection(w._session);
            return w;
        }

        private ConnectOptions Options()
        {
            var o = _emu.ConnectTo(_cache, _log, _browser, TokenCacheKind.Plaintext);
            o.ConfigureClient = client =>
            {
                client.Clock = () => _emu.Clock.UtcNow;
                client.InitialBackoff = TimeSpan.FromMilliseconds(20);
                client.MaxBackoff = TimeSpan.FromMilliseconds(200);
                // Short, so a stalled answer costs seconds, not a minute; not so short that an answer slowed by a loaded
                // machine times out (two resets and two such timeouts in a row read as "Google unreachable").
                client.RequestTimeout = TimeSpan.FromSeconds(5);
                // The quota minute is real time: start "just before" a minute so its wait is short.
                client.WallClock = () => new DateTimeOffset(2026, 11, 20, 12, 0, 59, 500, TimeSpan.Zero);
            };
            return o;
        }

        private void Arm(FaultSpec spec)
        {
            var fault = _emu.Faults.Add(spec.Kind, spec.Count, spec.Token ? "/token" : null);
            spec.Adjust?.Invoke(fault);
            // A token-endpoint fault is met by the refresh the first request needs.
            if (spec.Token) _emu.OAuth.ExpireAccessTokens();
        }

        private void Disarm() => _emu.Faults.Clear();

        private static string IdOf(Exception e) => e switch
        {
            ChunkFailedException chunk when chunk.InnerException is FitbitEngineException inner => inner.ErrorId,
            FitbitEngineException engine => engine.ErrorId,
            AggregateException { InnerException: { } inner } => IdOf(inner),
            _ => e.GetType().Name + ": " + e.Message,
        };

        private List<Engine.Records.SleepSession> CleanSleep()
        {
            return _connection.OpenReader().ReadSleep(Month, default).Records();
        }

        // Reader: a month of sleep. Finished = every session of a clean read; after an error, a clean read works.
        public Task<List<string>> ReadAsync(FaultSpec spec)
        {
            Arm(spec);
            var errors = new List<string>();
            var got = new List<Engine.Records.SleepSession>();
            try
            {
                foreach (var item in _connection.OpenReader().ReadSleep(Month, default))
                    if (item.IsError) errors.Add(IdOf(item.Error!)); else got.Add(item.Record);
            }
            catch (Exception e) { errors.Add(IdOf(e)); }
            Disarm();
            AfterFault(errors);
            if (errors.Count == 0 || errors[0] != AuthErrorIds.RefreshTokenRejected)
            {
                var clean = CleanSleep();
                Assert.True(clean.Count >= 20);
                if (errors.Count == 0) Assert.Equal(clean.Select(s => s.Start), got.Select(s => s.Start));
            }
            return Task.FromResult(errors);
        }

        // Export: Weight and Sleep over the month into a new folder. Finished = every row; after an error, nothing
        // half-written is marked complete and the same export then finishes with every row.
        public async Task<List<string>> ExportAsync(FaultSpec spec)
        {
            var errors = new List<string>();
            Arm(spec);
            try { await RunExportAsync(); }
            catch (Exception e) { errors.Add(IdOf(e)); }
            Disarm();
            AfterFault(errors);
            if (errors.Count > 0 && errors[0] == AuthErrorIds.RefreshTokenRejected) return errors;
            if (errors.Count > 0) await RunExportAsync(); // the fault is gone: the same command finishes
            var reader = _connection.OpenReader();
            Assert.Equal(reader.ReadBodyWeight(Month, default).Records().Count, File.ReadAllLines(Path.Combine(_export.Path, "weight.csv")).Length - 1);
            Assert.Equal(reader.ReadSleep(Month, default).Records().Count, File.ReadAllLines(Path.Combine(_export.Path, "sleep-sessions.csv")).Length - 1);
            Assert.Equal(new[] { "Sleep", "Weight" }, FitbitPS.Tests.Export.StoreDump.Kinds(_export.Path));
            return errors;
        }

        private async Task RunExportAsync()
        {
            await _connection.ExportAsync(new ExportSpec { Path = _export.Path, DataTypes = new[] { "Weight", "Sleep" }, From = Month.From, To = Month.To },
                null, CancellationToken.None);
        }

        // Connect-Fitbit -Force: a browser sign-in again. Finished = signed in with the user id; after an error the
        // profile still signs in without a browser once the fault is gone.
        public async Task<List<string>> ConnectAsync(FaultSpec spec)
        {
            var errors = new List<string>();
            var options = Options();
            options.Force = true;
            // API faults meet the identity request; token-endpoint faults the code exchange (no refresh here).
            var fault = _emu.Faults.Add(spec.Kind, spec.Count, spec.Token ? "/token" : null);
            spec.Adjust?.Invoke(fault);
            try
            {
                using var session = await FitbitAuthenticator.ConnectAsync(options, CancellationToken.None);
                Assert.Equal(_emu.Person.Options.HealthUserId, session.HealthUserId);
            }
            catch (Exception e) { errors.Add(IdOf(e)); }
            Disarm();
            AfterFault(errors);
            return errors;
        }

        // Refresh: the session's access token is refreshed at the token endpoint.
        public async Task<List<string>> RefreshAsync(FaultSpec spec)
        {
            var errors = new List<string>();
            var before = Stored().Token!.AccessToken;
            _emu.Faults.Add(spec.Kind, spec.Count, "/token").Let(spec.Adjust);
            try
            {
                var token = await _session.GetAccessTokenAsync(true, CancellationToken.None);
                Assert.NotEqual(before, token);
                Assert.Equal(token, Stored().Token!.AccessToken);
            }
            catch (Exception e) { errors.Add(IdOf(e)); }
            Disarm();
            AfterFault(errors);
            return errors;
        }

        private ProfileRecord Stored() => new ProfileStore(new PlaintextBlobStore(_cache.Path)).Read("default")!;

        /// <summary>Nothing lost: once the fault is gone the saved sign-in works without a browser, unless Google ended
        /// the refresh token (invalid_grant), which the profile then says.</summary>
        private void AfterFault(List<string> errors)
        {
            var reopen = Options().Reopen();
            if (errors.Count > 0 && errors[0] == AuthErrorIds.RefreshTokenRejected)
            {
                var ex = Assert.ThrowsAsync<FitbitAuthException>(() => FitbitAuthenticator.OpenAsync(reopen, CancellationToken.None)).GetAwaiter().GetResult();
                Assert.Equal(AuthErrorIds.RefreshTokenRejected, ex.ErrorId);
                return;
            }
            using var again = FitbitAuthenticator.OpenAsync(reopen, CancellationToken.None).GetAwaiter().GetResult();
            Assert.False(string.IsNullOrEmpty(again.GetAccessTokenAsync(true, CancellationToken.None).GetAwaiter().GetResult()));
            _connection.Dispose();
            _session = FitbitAuthenticator.OpenAsync(reopen, CancellationToken.None).GetAwaiter().GetResult();
            _connection = new FitbitConnection(_session);
        }

        public async ValueTask DisposeAsync()
        {
            _connection?.Dispose();
            _browser.Dispose();
            await _emu.DisposeAsync();
            _cache.Dispose();
            _export.Dispose();
        }
    }
}

internal static class FaultExtensions
{
    public static Fault Let(this Fault fault, Action<Fault>? adjust) { adjust?.Invoke(fault); return fault; }
}
