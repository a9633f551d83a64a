using FitbitPS.Loading;
using System;
using FitbitPS.Engine;
using FitbitPS.Hosting;
using System.Management.Automation;
using System.Net;
using System.Security;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.TokenStore;

namespace FitbitPS.Cmdlets
{
    /// <summary>
    /// Signs a profile in to Google (browser with a loopback listener, or -NoBrowser paste-back), or
    /// silently re-uses its saved refresh token. Writes one FitbitContext.
    /// </summary>
    /// <remarks>
    /// The first sign-in needs the OAuth client of your Google Cloud project (-ClientSecretFile, or -ClientId and
    /// -ClientSecret); FitbitPS remembers it, encrypted, with the profile. It opens Google's consent page in the
    /// browser and listens on 127.0.0.1 for the answer (PKCE), or with -NoBrowser prints the address and takes the
    /// redirected address back. The refresh token is kept in the token cache chosen with -TokenCache: the
    /// OS-protected store by default, a passphrase-encrypted file for cron, process memory, or (only when named) a
    /// plain file. Later calls sign in silently; every other cmdlet opens the saved profile by itself.
    /// </remarks>
    /// <example>
    /// <code>
    /// Connect-Fitbit -ClientSecretFile ~/Downloads/client_secret_1234.json
    /// </code>
    /// <para>Signs in the first time: opens the browser at Google's consent page, listens on 127.0.0.1 for the answer and saves the refresh token and the client in the OS-protected cache. Later sessions need only Connect-Fitbit (or nothing: every cmdlet opens the saved profile silently).</para>
    /// </example>
    /// <example>
    /// <code>
    /// Connect-Fitbit -NoBrowser -ClientSecretFile ./client.json
    /// </code>
    /// <para>Signs in on a machine without a browser (SSH): prints the sign-in address to open on any device; paste back the whole address the browser ends on (http://127.0.0.1:PORT/?state=...&amp;code=...).</para>
    /// </example>
    /// <example>
    /// <code>
    /// $env:FITBITPS_CACHE_PASSPHRASE = Get-Content ~/.config/fitbitps-passphrase
    /// Connect-Fitbit -ClientSecretFile ~/Downloads/client_secret_1234.json -TokenCache Passphrase -NoBrowser
    /// </code>
    /// <para>Signs in for cron or a server without a keyring: tokens go to an AES-256 file keyed from the passphrase in FITBITPS_CACHE_PASSPHRASE.</para>
    /// </example>
    /// <seealso cref="GetFitbitContextCommand"/>
    /// <seealso cref="DisconnectFitbitCommand"/>
    /// <seealso href="about_FitbitPS">about_FitbitPS</seealso>
    [Cmdlet(VerbsCommunications.Connect, "Fitbit", DefaultParameterSetName = SavedSet)]
    [OutputType(EngineType.Auth + nameof(FitbitContext))]
    public sealed class ConnectFitbitCommand : FitbitCmdletBase
    {
        private const string SavedSet = "Saved";
        private const string FileSet = "ClientSecretFile";
        private const string IdSet = "ClientId";
        private string _redirectUrl;

        /// <summary>The OAuth client JSON downloaded from Google Cloud console (Desktop app or Web).</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string ClientSecretFile { get; set; }

        /// <summary>The OAuth client ID, instead of -ClientSecretFile (use with -ClientSecret).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; }

        /// <summary>The OAuth client secret for -ClientId (Google requires it even for Desktop clients).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet)]
        public SecureString ClientSecret { get; set; }

        /// <summary>Friendly scope names; default Activity, HealthMetrics, Sleep, Profile, Settings.</summary>

        /// <value>Default: Activity, HealthMetrics, Sleep, Profile, Settings</value>
        [Parameter]
        [ValidateSet("Activity", "HealthMetrics", "Sleep", "Profile", "Settings", "Location", "Ecg", "Irn", "Nutrition", IgnoreCase = true)]
        public string[] Scope { get; set; }

        /// <summary>Where tokens live: Protected (OS store, default), Passphrase, Process, Plaintext.</summary>

        /// <value>Default: the cache the profile already lives in; for a new profile Protected</value>
        [Parameter]
        public TokenCacheKind TokenCache { get; set; }

        /// <summary>For -TokenCache Passphrase (else FITBITPS_CACHE_PASSPHRASE).</summary>

        /// <value>Default: the environment variable FITBITPS_CACHE_PASSPHRASE</value>
        [Parameter]
        public SecureString Passphrase { get; set; }

        /// <summary>Print the sign-in link and paste the redirected address back (no browser on this machine).</summary>
        [Parameter]
        public SwitchParameter NoBrowser { get; set; }

        /// <summary>
        /// Finishes a -NoBrowser sign-in left waiting in this session: the address the browser ended on
        /// (from a parameter or the pipeline).
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public string RedirectUrl { get; set; }

        /// <summary>Loopback port (default: any free port). A Web-application OAuth client accepts only the port of a
        /// redirect URI registered for it, and without -Port FitbitPS takes that one.</summary>

        /// <value>Default: any free port</value>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>Seconds to wait for the browser sign-in (default 300); Ctrl+C also stops waiting.</summary>

        /// <value>Default: 300</value>
        [Parameter]
        [ValidateRange(5, 3600)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>Base URL of a Google-compatible endpoint set (e.g. the emulator); remembered with the profile.</summary>

        /// <value>Default: Google (https://health.googleapis.com/), or the endpoint the profile remembers</value>
        [Parameter]
        public Uri EndpointUri { get; set; }

        /// <summary>Sign in again with the consent page even when a saved refresh token works.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private bool _connected;

        // Piped redirect addresses finish a -NoBrowser sign-in at the end; piped profiles (Get-FitbitContext
        // -ListAvailable | Connect-Fitbit) sign in one by one.
        protected override void ProcessRecord()
        {
            if (!string.IsNullOrWhiteSpace(RedirectUrl)) { _redirectUrl = RedirectUrl; return; }
            if (!MyInvocation.ExpectingInput) return;
            Connect();
            _connected = true;
        }

        protected override void EndProcessing()
        {
            if (!_connected || _redirectUrl != null) Connect();
        }

        private void Connect()
        {
            var options = new ConnectOptions
            {
                Profile = Profile,
                ClientSecretFile = ClientSecretFile == null ? null : GetUnresolvedProviderPathFromPSPath(ClientSecretFile),
                ClientId = ClientId,
                ClientSecret = ClientSecret == null ? null : new NetworkCredential(string.Empty, ClientSecret).Password,
                Scopes = Scope,
                TokenCache = MyInvocation.BoundParameters.ContainsKey(nameof(TokenCache)) ? TokenCache : (TokenCacheKind?)null,
                Passphrase = Passphrase == null ? null : new NetworkCredential(string.Empty, Passphrase).Password,
                NoBrowser = NoBrowser.IsPresent,
                Port = Port,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                EndpointUri = EndpointUri,
                Force = Force.IsPresent,
                RedirectUrl = _redirectUrl,
                NonInteractive = HostEnvironment.IsNonInteractive && _redirectUrl == null,
                Log = EngineLog,
                PromptForRedirectUrl = (url, ct) => PostAndWait(() => RedirectPrompt.Ask(this, url)),
            };
            var session = RunEngine(ct => FitbitAuthenticator.ConnectAsync(options, ct), Profile);
            ConnectionRegistry.Set(Profile, new FitbitConnection(session));
            WriteObject(session.Context);
        }
    }
}
