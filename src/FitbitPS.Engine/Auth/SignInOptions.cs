using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.TokenStore;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>Which profile and cache to open, and how the engine talks back (shared by every sign-in path).</summary>
    public class SessionOptions
    {
        public string Profile { get; set; } = "default";
        /// <summary>null: the kind the profile already lives in, else Protected.</summary>
        public TokenCacheKind? TokenCache { get; set; }
        /// <summary>For the Passphrase cache; null reads FITBITPS_CACHE_PASSPHRASE.</summary>
        public string Passphrase { get; set; }
        /// <summary>null: FITBITPS_HOME or the per-user data folder.</summary>
        public string CacheFolder { get; set; }
        /// <summary>Messages for the cmdlet's verbose/debug/warning streams.</summary>
        public EngineLogger Log { get; set; }
        /// <summary>HTTP handler for Google's token endpoint and the identity call (tests, proxies). null: Google's default.</summary>
        public Func<HttpMessageHandler> HttpHandlerFactory { get; set; }
        /// <summary>The clock token expiry is judged by (tests pass the emulator's). null: system clock.</summary>
        public Google.Apis.Util.IClock Clock { get; set; }
        /// <summary>Never open a browser or prompt (PowerShell -NonInteractive, scheduled task, cron).</summary>
        public bool NonInteractive { get; set; }
        /// <summary>Adjusts every Health API client of the session (back-off, deadlines; tests shorten them). null: the defaults.</summary>
        internal Action<Api.HealthClient> ConfigureClient { get; set; }
    }

    /// <summary>Everything Connect-Fitbit passes to <see cref="FitbitAuthenticator.ConnectAsync"/>.</summary>
    public sealed class ConnectOptions : SessionOptions
    {
        public string ClientSecretFile { get; set; }
        public string ClientId { get; set; }
        public string ClientSecret { get; set; }
        /// <summary>Friendly names or Google scopes; null/empty = <see cref="FitbitScopes.DefaultNames"/>.</summary>
        public IList<string> Scopes { get; set; }
        /// <summary>Base URL of a Google-compatible endpoint set (the emulator); remembered with the profile.</summary>
        public Uri EndpointUri { get; set; }
        /// <summary>Sign in again with consent even when the profile has a valid refresh token.</summary>
        public bool Force { get; set; }
        public bool NoBrowser { get; set; }
        /// <summary>Loopback port. 0: a free port, or for a Web client the port of its registered redirect URI (any other port must be registered too).</summary>
        public int Port { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>Opens the sign-in URL; default <see cref="BrowserLauncher.Default"/>.</summary>
        public Func<string, CancellationToken, Task> OpenBrowser { get; set; }
        /// <summary>The redirected address that finishes a -NoBrowser sign-in left waiting earlier in this process.</summary>
        public string RedirectUrl { get; set; }
        /// <summary>-NoBrowser: shows the URL, returns the full redirected URL the person pasted.</summary>
        public Func<string, CancellationToken, Task<string>> PromptForRedirectUrl { get; set; }
    }
}
