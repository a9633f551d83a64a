using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Emulator.Host;

/// <summary>The emulator as Pester and the demo use it: a separate process started with dotnet.</summary>
public sealed class StandaloneProgramTests
{
    private static readonly string EmulatorDll = Path.Combine(AppContext.BaseDirectory, "HealthApiEmulator.dll");

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(EmulatorDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    private static async Task<string> ReadLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line == null) Assert.Fail("the emulator ended its output early: " + await process.StandardError.ReadToEndAsync());
        return line;
    }

    private static async Task<int> WaitForExitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail("the emulator did not stop");
        }
        return process.ExitCode;
    }

    [Fact]
    public async Task Prints_its_url_serves_the_control_api_and_stops_on_stdin_eof()
    {
        var secretsPath = Path.Combine(Path.GetTempPath(), $"emu-secrets-{Guid.NewGuid():N}.json");
        using var process = Start("--port", "0", "--auto-approve", "--now", "2026-11-20T12:00:00Z", "--client-secrets-out", secretsPath);
        try
        {
            var first = await ReadLineAsync(process);
            var match = Regex.Match(first, @"^Listening on (http://127\.0\.0\.1:(\d+)/)$");
            Assert.True(match.Success, $"first line was '{first}'");
            var baseUrl = new Uri(match.Groups[1].Value);
            Assert.Equal($"ClientSecretsFile: {secretsPath}", await ReadLineAsync(process));

            using (var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(secretsPath)))
                Assert.Equal(new Uri(baseUrl, "token").AbsoluteUri, secrets.RootElement.GetProperty("installed").GetProperty("token_uri").GetString());

            using var http = new HttpClient();
            using (var missing = await HostTestHelpers.GetV4Async(http, baseUrl, null))
                Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);

            // Control API: a token without a browser, a fault, the clock, the request count.
            using var tokenResponse = await http.PostAsync(new Uri(baseUrl, "_emulator/tokens"),
                Json(new { scopes = new[] { Scopes.ActivityAndFitness } }));
            Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
            var access = (await HostTestHelpers.ReadJsonAsync(tokenResponse)).GetProperty("access_token").GetString()!;

            using (var fault = await http.PostAsync(new Uri(baseUrl, "_emulator/faults"), Json(new { kind = "rateLimited", count = 1, retryAfterSeconds = 3 })))
                Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
            using (var limited = await HostTestHelpers.GetV4Async(http, baseUrl, access))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter?.Delta);
            }

            using (var clock = await http.PostAsync(new Uri(baseUrl, "_emulator/clock"), Json(new { advanceSeconds = 3600 })))
                Assert.Equal("2026-11-20T13:00:00.000Z", (await HostTestHelpers.ReadJsonAsync(clock)).GetProperty("now").GetString());
            using (var expired = await HostTestHelpers.GetV4Async(http, baseUrl, access))
                Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);

            using (var count = await http.GetAsync(new Uri(baseUrl, "_emulator/requests?pathContains=/v4/")))
                Assert.Equal(3, (await HostTestHelpers.ReadJsonAsync(count)).GetProperty("count").GetInt32());

            using (var bad = await http.PostAsync(new Uri(baseUrl, "_emulator/faults"), Json(new { kind = "Meteor" })))
            {
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                Assert.Contains("ConnectionReset", await bad.Content.ReadAsStringAsync());
            }

            process.StandardInput.Close();
            Assert.Equal(0, await WaitForExitAsync(process));
            Assert.True(File.Exists(secretsPath), "a secrets file the caller asked for stays");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            File.Delete(secretsPath);
        }
    }

    [Fact]
    public async Task Stops_on_sigterm_with_no_stdin()
    {
        using var process = Start("--port", "0", "--no-stdin");
        try
        {
            Assert.StartsWith("Listening on http://127.0.0.1:", await ReadLineAsync(process));
            var secretsLine = await ReadLineAsync(process);
            var tempSecrets = secretsLine["ClientSecretsFile: ".Length..];
            Assert.True(File.Exists(tempSecrets));
            process.StandardInput.Close(); // ignored with --no-stdin
            await Task.Delay(300);
            Assert.False(process.HasExited);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            Assert.Equal(0, await WaitForExitAsync(process));
            Assert.False(File.Exists(tempSecrets), "the temporary secrets file is removed on exit");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public async Task Unknown_option_is_exit_code_2_with_usage()
    {
        using var process = Start("--prot", "5000");
        var stderr = await process.StandardError.ReadToEndAsync();
        Assert.Equal(2, await WaitForExitAsync(process));
        Assert.Contains("Unknown option '--prot'", stderr);
        Assert.Contains("Usage:", stderr);
        foreach (var flag in new[] { "--exact-pages", "--quota-retry-after", "--legacy-heart-rate", "--heart-rate-civil-filter-works" })
            Assert.Contains(flag, stderr);
    }

    [Fact]
    public async Task Strictness_flags_turn_the_switches_and_the_control_api_reports_them()
    {
        using var process = Start("--port", "0", "--no-stdin", "--now", "2026-11-20T12:00:00Z", "--quota", "1",
            "--exact-pages", "--quota-retry-after", "--legacy-heart-rate", "--heart-rate-civil-filter-works");
        try
        {
            var baseUrl = new Uri(Regex.Match(await ReadLineAsync(process), @"^Listening on (\S+)$").Groups[1].Value);
            using var http = new HttpClient();
            using (var status = await http.GetAsync(new Uri(baseUrl, "_emulator")))
            {
                var json = await HostTestHelpers.ReadJsonAsync(status);
                Assert.False(json.GetProperty("shortPages").GetBoolean());
                Assert.False(json.GetProperty("pageBoundaryLoss").GetBoolean());
                Assert.True(json.GetProperty("quotaRetryAfter").GetBoolean());
                Assert.True(json.GetProperty("legacyHeartRateCadence").GetBoolean());
                Assert.True(json.GetProperty("heartRateCivilFilterWorks").GetBoolean());
                Assert.Equal(0, json.GetProperty("boundarySkippedPoints").GetInt64());
            }
            using var tokenResponse = await http.PostAsync(new Uri(baseUrl, "_emulator/tokens"), Json(new { scopes = new[] { Scopes.HealthMetrics } }));
            var access = (await HostTestHelpers.ReadJsonAsync(tokenResponse)).GetProperty("access_token").GetString()!;
            // legacy cadence and a civil filter that works: ten minutes of 15-s samples
            var filter = Uri.EscapeDataString("heart_rate.sample_time.civil_time >= \"2026-11-18T03:00:00\" AND heart_rate.sample_time.civil_time < \"2026-11-18T03:10:00\"");
            using (var list = await HostTestHelpers.GetV4Async(http, baseUrl, access, "v4/users/me/dataTypes/heart-rate/dataPoints?filter=" + filter))
                Assert.Equal(40, (await HostTestHelpers.ReadJsonAsync(list)).GetProperty("dataPoints").GetArrayLength());
            // --quota 1 with --quota-retry-after: the second request is refused with Retry-After
            var quota = await HostTestHelpers.GetV4Async(http, baseUrl, access);
            // The quota is per wall-clock minute: when the minute turned between the two requests, this one opened the
            // new minute and the next is the one refused.
            if (quota.StatusCode == HttpStatusCode.OK) { quota.Dispose(); quota = await HostTestHelpers.GetV4Async(http, baseUrl, access); }
            using (var limited = quota)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
                Assert.NotNull(limited.Headers.RetryAfter?.Delta);
            }
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            Assert.Equal(0, await WaitForExitAsync(process));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
