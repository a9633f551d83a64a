using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Opens the sign-in URL. FITBITPS_BROWSER (a command line; the URL is appended as one quoted
    /// argument) replaces the browser — e.g. a script in tests, or a specific browser. The browser starts
    /// without our variables (<see cref="IsScrubbed"/>): it lives on after sign-in and starts helpers of
    /// its own, and none of them needs the token-cache passphrase.
    /// </summary>
    internal static class BrowserLauncher
    {
        public const string BrowserVariable = "FITBITPS_BROWSER";

        public static Func<string, CancellationToken, Task> Default(EngineLogger log, string what = "the sign-in page") => (url, ct) =>
        {
            try
            {
                var custom = Environment.GetEnvironmentVariable(BrowserVariable);
                if (!string.IsNullOrWhiteSpace(custom))
                {
                    log.Verbose($"Opening {what} with {BrowserVariable} ({custom}).");
                    if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                        Start("cmd.exe", "/d /s /c \"" + custom + " \"" + url + "\"\""); // /s: strip only the outer quotes
                    else
                        // sh -c '<custom> "$0"' <url>: the URL stays one argument whatever it holds.
                        Start("/bin/sh", JoinArguments("-c", custom + " \"$0\"", url));
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    // Not ShellExecute (UseShellExecute takes no environment) and not rundll32 (endpoint security
                    // flags it): explorer.exe hands the address to the running shell, which opens the default browser
                    // with the shell's own environment. The URL is escaped: no spaces or quotes. Untested here (no Windows).
                    Start("explorer.exe", "\"" + url + "\"");
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

        /// <summary>
        /// One ProcessStartInfo.Arguments string that .NET splits back into exactly these arguments. On
        /// Unix .NET parses Arguments with the Windows rules (double quotes, backslash escapes), not shell
        /// quoting, and netstandard2.0 has no ArgumentList.
        /// </summary>
        internal static string JoinArguments(params string[] arguments)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var argument in arguments)
            {
                if (sb.Length > 0) sb.Append(' ');
                sb.Append('"');
                int backslashes = 0;
                foreach (var c in argument)
                {
                    if (c == '\\') { backslashes++; continue; }
                    // Backslashes are literal unless they precede a quote: then each is doubled.
                    sb.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                    backslashes = 0;
                    sb.Append(c);
                }
                sb.Append('\\', backslashes * 2); // before the closing quote
                sb.Append('"');
            }
            return sb.ToString();
        }

        private static void Start(string file, string args)
        {
            var psi = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = false, CreateNoWindow = true };
            foreach (var name in psi.Environment.Keys.Where(IsScrubbed).ToList()) psi.Environment.Remove(name);
            Process.Start(psi)?.Dispose();
        }

        /// <summary>
        /// Variables the browser does not get: all of ours (FITBITPS_CACHE_PASSPHRASE; the test suite's
        /// FITBITPS_KEYRING_PASSWORD and FITBITPS_TEST_ACCESS_TOKEN; any added later), and KEYRING_PASSWORD,
        /// which docs/authentication.md has people export for the keyring.
        /// </summary>
        internal static bool IsScrubbed(string name) =>
            name.StartsWith("FITBITPS_", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "KEYRING_PASSWORD", StringComparison.OrdinalIgnoreCase);
    }
}
