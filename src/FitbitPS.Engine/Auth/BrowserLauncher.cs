using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Opens the sign-in URL. FITBITPS_BROWSER (a command line; the URL is appended as one quoted
    /// argument) replaces the browser — e.g. a script in tests, or a specific browser.
    /// </summary>
    public static class BrowserLauncher
    {
        public const string BrowserVariable = "FITBITPS_BROWSER";

        public static Func<string, CancellationToken, Task> Default(EngineLogger log) => (url, ct) =>
        {
            try
            {
                var custom = Environment.GetEnvironmentVariable(BrowserVariable);
                if (!string.IsNullOrWhiteSpace(custom))
                {
                    log.Verbose($"Opening the sign-in page with {BrowserVariable} ({custom}).");
                    if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                        Start("cmd.exe", "/d /s /c \"" + custom + " \"" + url + "\"\""); // /s: strip only the outer quotes
                    else
                        Start("/bin/sh", "-c '" + custom.Replace("'", "'\\''") + " \"$0\"' '" + url.Replace("'", "'\\''") + "'");
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    Process.Start(new ProcessStartInfo(url) { UseShellExecute = true })?.Dispose();
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                    Start("open", "\"" + url + "\"");
                else
                    Start("xdg-open", "\"" + url + "\"");
            }
            catch (Exception ex)
            {
                log.Warning($"Could not open a browser ({ex.GetType().Name}: {ex.Message}). Open this address yourself: {url}");
            }
            return Task.CompletedTask;
        };

        private static void Start(string file, string args)
        {
            var psi = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = false, CreateNoWindow = true };
            Process.Start(psi)?.Dispose();
        }
    }
}
