using FitbitPS.Engine.Auth;
using Xunit;

namespace FitbitPS.Tests.Auth;

/// <summary>
/// FITBITPS_BROWSER is a command line that gets the sign-in URL as one more argument. The Pester suite
/// (and anyone pointing it at a browser with options) depends on it reaching the program intact.
/// </summary>
[Collection(nameof(BrowserVariableCollection))]
public sealed class BrowserLauncherTests
{
    [Fact]
    public async Task FitbitpsBrowser_gets_the_url_as_one_intact_argument_after_its_own_quoted_arguments()
    {
        if (OperatingSystem.IsWindows()) return; // the cmd.exe branch has its own quoting
        using var folder = new TempFolder();
        var dir = Directory.CreateDirectory(Path.Combine(folder.Path, "a dir with spaces")).FullName;
        var script = Path.Combine(dir, "record browser.sh");
        var output = Path.Combine(dir, "args.txt");
        // Writes each argument on its own line.
        File.WriteAllText(script, "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$(dirname \"$0\")/args.txt\"\n");
        const string url = "http://127.0.0.1:1/o/oauth2/v2/auth?a=1&b='x'&c=\"y\"&d=$HOME&e=\\q\\";

        var saved = Environment.GetEnvironmentVariable(BrowserLauncher.BrowserVariable);
        var log = new CapturedLog();
        try
        {
            Environment.SetEnvironmentVariable(BrowserLauncher.BrowserVariable, $"sh \"{script}\" --private-window");
            await BrowserLauncher.Default(log.Logger)(url, CancellationToken.None);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!File.Exists(output) && DateTime.UtcNow < deadline) await Task.Delay(50);
            await Task.Delay(100); // the redirect may still be flushing
        }
        finally { Environment.SetEnvironmentVariable(BrowserLauncher.BrowserVariable, saved); }

        Assert.Empty(log.Warnings);
        Assert.True(File.Exists(output), "the FITBITPS_BROWSER command never ran");
        Assert.Equal(new[] { "--private-window", url }, File.ReadAllLines(output));
    }
}

/// <summary>Tests that set the process-wide FITBITPS_BROWSER run one at a time.</summary>
[CollectionDefinition(nameof(BrowserVariableCollection), DisableParallelization = true)]
public sealed class BrowserVariableCollection;
