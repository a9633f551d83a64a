using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;
using HealthApiEmulator.Hosting;
using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// The browser (and whatever it starts: extensions' helpers, crash reporters, a FITBITPS_BROWSER script)
/// must not inherit the passphrase or any other secret FitbitPS reads from the environment.
/// </summary>
[Collection(nameof(BrowserVariableCollection))]
public sealed class BrowserEnvironmentTests
{
    private const string Passphrase = "env-passphrase-do-not-leak";

    [Fact]
    public async Task The_browser_starts_without_the_passphrase_or_other_secret_variables_but_with_path_and_home()
    {
        if (OperatingSystem.IsWindows()) return; // the script below is POSIX sh
        await using var emu = await HealthApiEmulator.Hosting.Emulator.StartAsync(new EmulatorOptions { Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero) });
        using var folder = new TempFolder();
        using var browser = new TestBrowser();
        var log = new CapturedLog();
        var script = Path.Combine(folder.Path, "env-browser.sh");
        var envFile = Path.Combine(folder.Path, "browser-env.txt");
        var urlFile = Path.Combine(folder.Path, "browser-url.txt");
        // Records its environment, then hands the sign-in address to the test's browser (written last, so
        // the environment file is complete when the address appears).
        File.WriteAllText(script, $"env > '{envFile}'\nprintf '%s' \"$1\" > '{urlFile}.tmp' && mv '{urlFile}.tmp' '{urlFile}'\n");

        var secrets = new Dictionary<string, string?>
        {
            [PassphraseBlobStore.PassphraseVariable] = Passphrase,
            ["FITBITPS_KEYRING_PASSWORD"] = "keyring-password-do-not-leak",
            ["FITBITPS_TEST_ACCESS_TOKEN"] = "ya29.test-token-do-not-leak",
            ["KEYRING_PASSWORD"] = "docs-keyring-password-do-not-leak",
        };
        var saved = secrets.Keys.Append(BrowserLauncher.BrowserVariable).ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in secrets) Environment.SetEnvironmentVariable(name, value);
            Environment.SetEnvironmentVariable(BrowserLauncher.BrowserVariable, $"sh '{script}'");

            var o = emu.ConnectTo(folder, log);
            o.OpenBrowser = null;  // the real launcher, through FITBITPS_BROWSER
            o.Passphrase = null;   // the Passphrase cache reads FITBITPS_CACHE_PASSPHRASE, as in cron
            var signIn = FitbitAuthenticator.ConnectAsync(o, CancellationToken.None);

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(urlFile) && !signIn.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(File.Exists(urlFile), "the FITBITPS_BROWSER script never ran");
            await browser.FollowAsync(File.ReadAllText(urlFile));
            using var session = await signIn;
            Assert.Equal(emu.Person.Options.HealthUserId, session.Context.HealthUserId);
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }

        var env = File.ReadAllLines(envFile);
        var names = env.Select(line => line.Split('=')[0]).ToHashSet();
        foreach (var name in secrets.Keys) Assert.DoesNotContain(name, names);
        var text = string.Join("\n", env);
        foreach (var value in secrets.Values) Assert.DoesNotContain(value!, text);
        Assert.Contains("PATH", names);
        Assert.Contains("HOME", names);
    }
}
