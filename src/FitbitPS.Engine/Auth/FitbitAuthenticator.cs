using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Sign-in (browser loopback or paste-back), silent re-use, profile listing and sign-out.
    /// Google.Apis.Auth's PKCE flow does the OAuth; this class decides which path to take and turns
    /// every failure into a <see cref="FitbitAuthException"/> that says what to do.
    /// </summary>
    public static class FitbitAuthenticator
    {
        /// <summary>Connect-Fitbit: silent when the profile has a refresh token (unless Force), else interactive.</summary>
        public static async Task<FitbitSession> ConnectAsync(ConnectOptions options, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            var log = options.Log;
            var profile = CacheFolder.ValidateProfile(options.Profile);
            if (!string.IsNullOrWhiteSpace(options.RedirectUrl)) return await CompletePendingAsync(options, profile, cancellationToken).ConfigureAwait(false);
            var store = OpenStore(options, profile, out var moved);

            var existing = moved ?? store.Read(profile);
            var scopes = FitbitScopes.ToGoogleScopes(options.Scopes);
            var scopesChanged = options.Scopes != null && options.Scopes.Count > 0 && existing?.RequestedScopes != null
                && !new HashSet<string>(existing.RequestedScopes).SetEquals(scopes);

            var client = ResolveClient(options, existing, profile);

            // Silent re-use: a refresh token and nothing that needs new consent.
            var clientChanged = existing?.Client != null && (existing.Client.ClientId != client.ClientId || existing.Client.TokenUri != client.TokenUri);
            if (!options.Force && !scopesChanged && !clientChanged && !string.IsNullOrEmpty(existing?.Token?.RefreshToken))
            {
                log.Verbose($"Profile '{profile}' has a saved refresh token in the {store.Kind} cache; signing in without a browser.");
                var session = CreateSession(store, existing, options);
                try
                {
                    await session.GetAccessTokenAsync(false, cancellationToken).ConfigureAwait(false);
                    if (string.IsNullOrEmpty(session.HealthUserId)) await session.LoadHealthUserIdAsync(cancellationToken).ConfigureAwait(false);
                    return session;
                }
                catch (FitbitAuthException ex) when (ex.ErrorId == AuthErrorIds.RefreshTokenRejected && !options.NonInteractive)
                {
                    log.Warning(ex.Message + " Signing in again with the browser.");
                }
            }

            if (options.NonInteractive) throw SignInErrors.InteractionRequired(profile, existing == null ? "it has never signed in" : "it needs a new consent");

            return await InteractiveAsync(options, store, profile, client, scopes, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Opens a signed-in profile without any interaction (what the readers use).</summary>
        public static async Task<FitbitSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken)
        {
            var profile = CacheFolder.ValidateProfile(options.Profile);
            // A profile that exists in no cache is simply not signed in: don't open (and fail on) a keyring for it.
            if (options.TokenCache == null && TokenStores.FindKind(profile, options.CacheFolder) == null) throw SignInErrors.NotSignedIn(profile);
            var store = OpenStore(options, profile, out var moved);
            var record = moved ?? store.Read(profile);
            if (record?.Token == null || string.IsNullOrEmpty(record.Token.RefreshToken) || record.Client == null)
                throw record?.RefreshRejectedUtc != null ? SignInErrors.RefreshRejected(profile, null) : SignInErrors.NotSignedIn(profile);
            var session = CreateSession(store, record, options);
            await session.GetAccessTokenAsync(false, cancellationToken).ConfigureAwait(false);
            return session;
        }

        /// <summary>Disconnect-Fitbit: optionally revoke at Google, then remove the profile from its cache.</summary>
        public static async Task<bool> DisconnectAsync(SessionOptions options, bool revoke, CancellationToken cancellationToken)
        {
            var profile = CacheFolder.ValidateProfile(options.Profile);
            var kind = options.TokenCache ?? TokenStores.FindKind(profile, options.CacheFolder);
            if (kind == null) return false;
            var store = new ProfileStore(TokenStores.Create(kind.Value, options.CacheFolder, options.Passphrase));
            if (!store.ListProfiles().Contains(profile)) return false;
            if (revoke)
            {
                var record = store.Read(profile);
                if (record?.Token != null && record.Client != null)
                {
                    options.Log.Verbose($"Revoking the grant of profile '{profile}' at {ClientConfiguration.EndpointsOf(record.Client).RevokeEndpoint.GetLeftPart(UriPartial.Path)}.");
                    using (var session = CreateSession(store, record, options))
                        await session.RevokeAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            store.Delete(profile);
            options.Log.Verbose($"Removed profile '{profile}' from the {store.Kind} token cache ({store.Location}).");
            return true;
        }

        /// <summary>
        /// Every profile in every cache kind, each read as far as it can be without Google: its account,
        /// scopes and status. A cache that cannot be opened (passphrase missing or wrong, keyring locked) or
        /// cannot be trusted (changed, damaged) is listed with that status and what to do, never as signed in.
        /// </summary>
        public static IReadOnlyList<FitbitContext> ListProfiles(string cacheFolder = null, string passphrase = null) =>
            TokenStores.ListAll(cacheFolder).Select(p =>
            {
                var blobs = TokenStores.Create(p.Value, cacheFolder, passphrase);
                try
                {
                    var record = new ProfileStore(blobs).Read(p.Key);
                    if (record != null) return FitbitContext.From(record, blobs);
                    return Unreadable(p.Key, blobs, ProfileStatus.Damaged, $"The {blobs.Kind} cache holds no record for this profile. Run Disconnect-Fitbit -Profile {p.Key}, then Connect-Fitbit -Profile {p.Key}.");
                }
                catch (FitbitAuthException e)
                {
                    var locked = e.ErrorId == AuthErrorIds.PassphraseMissing || e.ErrorId == AuthErrorIds.PassphraseWrong
                                 || e.ErrorId == AuthErrorIds.KeyringLocked || e.ErrorId == AuthErrorIds.KeyringUnavailable;
                    return Unreadable(p.Key, blobs, locked ? ProfileStatus.Locked : ProfileStatus.Damaged, e.Message);
                }
            }).ToList();

        /// <summary>Profile names only, from file names (no keyring, no passphrase): for tab completion.</summary>
        public static IReadOnlyList<string> ListProfileNames(string cacheFolder = null) =>
            TokenStores.ListAll(cacheFolder).Select(p => p.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        private static FitbitContext Unreadable(string profile, IProfileBlobStore blobs, ProfileStatus status, string message) => new FitbitContext
        {
            Profile = profile,
            TokenCacheKind = blobs.Kind,
            CacheLocation = blobs.Location,
            CacheEncrypted = blobs.Encrypted,
            SignedIn = false,
            Status = status,
            StatusMessage = message,
        };

        /// <summary>Reads a profile's context without refreshing (Get-FitbitContext for a profile not open in this session).</summary>
        public static FitbitContext ReadContext(SessionOptions options)
        {
            var profile = CacheFolder.ValidateProfile(options.Profile);
            if (options.TokenCache == null && TokenStores.FindKind(profile, options.CacheFolder) == null) throw SignInErrors.NotSignedIn(profile);
            var store = OpenStore(options, profile, out var moved);
            var record = moved ?? store.Read(profile);
            if (record == null) throw SignInErrors.NotSignedIn(profile);
            return FitbitContext.From(record, store.Blobs);
        }

        private static async Task<FitbitSession> InteractiveAsync(ConnectOptions options, ProfileStore store, string profile,
            StoredClient client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
        {
            var log = options.Log;
            var flow = GoogleFlowFactory.Create(client, scopes, store, options.HttpHandlerFactory, options.Clock);
            var state = RandomState();
            string code, redirectUri, verifier;
            // Before anything listens or a browser opens: a Web client's -Port must be a registered one.
            var redirect = LoopbackRedirect.For(client, options.Port, profile);

            if (options.NoBrowser)
            {
                // Nothing listens: the browser shows an error page whose address holds the code.
                redirectUri = redirect.Exact ?? $"http://127.0.0.1:{(redirect.Port != 0 ? redirect.Port : 8400)}/";
                var request = BuildRequest(flow, redirectUri, state, out verifier);
                var url = request.Build().AbsoluteUri;
                if (options.PromptForRedirectUrl == null) throw SignInErrors.InteractionRequired(profile, "-NoBrowser needs a way to paste the redirected address");
                log.Verbose($"Sign-in link for profile '{profile}' created (redirect {redirectUri}).");
                var pendingKey = PendingKey(options, profile);
                Pending[pendingKey] = new PendingSignIn { Kind = store.Kind, Passphrase = options.Passphrase, Client = client, Scopes = scopes, State = state, Verifier = verifier, RedirectUri = redirectUri, CreatedUtc = DateTime.UtcNow };
                string pasted;
                using (var timeout = new CancellationTokenSource(options.Timeout))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
                {
                    try { pasted = await options.PromptForRedirectUrl(url, linked.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        throw new FitbitAuthException(AuthErrorIds.SignInTimeout, FitbitErrorKind.Timeout,
                            $"No redirected address was pasted within {options.Timeout.TotalSeconds:0} s. Run Connect-Fitbit -NoBrowser again.")
                        { Profile = profile, RecommendedAction = $"Run Connect-Fitbit -Profile {profile} -NoBrowser again (-TimeoutSec gives more time)." };
                    }
                }
                if (string.IsNullOrWhiteSpace(pasted))
                    throw new FitbitAuthException(AuthErrorIds.SignInPending, FitbitErrorKind.InvalidOperation,
                        $"Sign-in of profile '{profile}' is waiting for the redirected address. After you approved access, run " +
                        $"Connect-Fitbit -Profile {profile} -RedirectUrl '<the address from the browser>' (or pipe the address to Connect-Fitbit) " +
                        "in this PowerShell session within 10 minutes.")
                    { Profile = profile, RecommendedAction = $"Connect-Fitbit -Profile {profile} -RedirectUrl '<the address from the browser>', in this session within 10 minutes." };
                Pending.TryRemove(pendingKey, out _);
                code = AuthorizationResponse.RequireCode(AuthorizationResponse.Parse(pasted), state, profile);
            }
            else
            {
                using (var receiver = new LoopbackCodeReceiver(redirect, options.Timeout, options.OpenBrowser ?? BrowserLauncher.Default(log), log))
                {
                    redirectUri = receiver.RedirectUri;
                    var request = BuildRequest(flow, redirectUri, state, out verifier);
                    log.Verbose($"Opening Google's sign-in page for profile '{profile}'; listening on {redirectUri}.");
                    var response = await receiver.ReceiveCodeAsync(request, cancellationToken).ConfigureAwait(false);
                    code = AuthorizationResponse.RequireCode(response, state, profile);
                }
            }

            return await ExchangeAndSaveAsync(options, store, profile, client, scopes, flow, code, verifier, redirectUri, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Finishes a -NoBrowser sign-in left waiting in this process (Connect-Fitbit -RedirectUrl).</summary>
        private static async Task<FitbitSession> CompletePendingAsync(ConnectOptions options, string profile, CancellationToken cancellationToken)
        {
            var key = PendingKey(options, profile);
            if (!Pending.TryGetValue(key, out var pending) || DateTime.UtcNow - pending.CreatedUtc > PendingLifetime)
            {
                Pending.TryRemove(key, out _);
                throw new FitbitAuthException(AuthErrorIds.RedirectUrlInvalid, FitbitErrorKind.InvalidOperation,
                    $"No sign-in of profile '{profile}' is waiting for a redirected address in this PowerShell session (or it is older than 10 minutes). " +
                    $"Run Connect-Fitbit -Profile {profile} -NoBrowser first, then paste the address it leads to.")
                { Profile = profile, RecommendedAction = $"Run Connect-Fitbit -Profile {profile} -NoBrowser first, then paste the address it leads to." };
            }
            var code = AuthorizationResponse.RequireCode(AuthorizationResponse.Parse(options.RedirectUrl), pending.State, profile);
            Pending.TryRemove(key, out _);
            // The cache chosen when the sign-in started, unless this call names one.
            if (options.TokenCache == null) options.TokenCache = pending.Kind;
            if (options.Passphrase == null) options.Passphrase = pending.Passphrase;
            var store = OpenStore(options, profile, out _);
            var flow = GoogleFlowFactory.Create(pending.Client, pending.Scopes, store, options.HttpHandlerFactory, options.Clock);
            return await ExchangeAndSaveAsync(options, store, profile, pending.Client, pending.Scopes, flow, code, pending.Verifier, pending.RedirectUri, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<FitbitSession> ExchangeAndSaveAsync(ConnectOptions options, ProfileStore store, string profile, StoredClient client,
            IReadOnlyList<string> scopes, Google.Apis.Auth.OAuth2.Flows.PkceGoogleAuthorizationCodeFlow flow, string code, string verifier, string redirectUri,
            CancellationToken cancellationToken)
        {
            var log = options.Log;
            log.Verbose($"Exchanging the authorization code at {ClientConfiguration.EndpointsOf(client).TokenEndpoint.GetLeftPart(UriPartial.Path)}.");
            TokenResponse token;
            using (await store.LockAsync(profile, cancellationToken).ConfigureAwait(false))
            {
                try { token = await flow.ExchangeCodeForTokenAsync(profile, code, verifier, redirectUri, cancellationToken).ConfigureAwait(false); }
                catch (TokenResponseException ex) { throw SignInErrors.FromTokenError(ex, profile, refreshing: false); }
                catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException
                                           || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw SignInErrors.TokenEndpointUnreachable(ClientConfiguration.EndpointsOf(client), ex);
                }
                catch (Exception ex) when (ex is Newtonsoft.Json.JsonException || ex is NullReferenceException || ex is FormatException)
                {
                    throw SignInErrors.TokenAnswerUnreadable(ClientConfiguration.EndpointsOf(client), profile, ex);
                }

                if (string.IsNullOrEmpty(token.RefreshToken))
                    log.Warning("Google returned no refresh token; FitbitPS will need the browser again in an hour. Run Connect-Fitbit -Force to ask for offline access again.");

                var granted = token.Scope != null ? FitbitScopes.Parse(token.Scope).ToList() : scopes.ToList();
                store.Update(profile, r =>
                {
                    r = r ?? new ProfileRecord();
                    r.Client = client;
                    r.Token = token;
                    r.RequestedScopes = scopes.ToList();
                    r.GrantedScopes = granted;
                    r.SignedInUtc = DateTime.UtcNow;
                    r.RefreshRejectedUtc = null;
                    r.HealthUserId = null;
                    return r;
                });
                foreach (var warning in FitbitScopes.DescribeMissing(scopes, granted)) log.Warning(warning);
            }
            var session = CreateSession(store, store.Read(profile), options);
            await session.LoadHealthUserIdAsync(cancellationToken).ConfigureAwait(false);
            log.Verbose($"Profile '{profile}' signed in; tokens saved in the {store.Kind} cache ({store.Location}).");
            if (store.Kind == TokenCacheKind.Plaintext)
                log.Warning($"Profile '{profile}' keeps its tokens UNENCRYPTED in {store.Location} (-TokenCache Plaintext). Anyone who can read that file can read your health data.");
            return session;
        }

        private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PendingSignIn> Pending =
            new System.Collections.Concurrent.ConcurrentDictionary<string, PendingSignIn>(StringComparer.Ordinal);

        private static string PendingKey(SessionOptions options, string profile) => TokenStore.CacheFolder.Resolve(options.CacheFolder) + "|" + profile;

        /// <summary>A -NoBrowser sign-in whose redirected address has not been pasted yet (memory only).</summary>
        private sealed class PendingSignIn
        {
            public StoredClient Client;
            public IReadOnlyList<string> Scopes;
            public string State, Verifier, RedirectUri;
            public DateTime CreatedUtc;
            public TokenCacheKind Kind;
            public string Passphrase;
        }

        private static GoogleAuthorizationCodeRequestUrl BuildRequest(Google.Apis.Auth.OAuth2.Flows.PkceGoogleAuthorizationCodeFlow flow, string redirectUri, string state, out string verifier)
        {
            var request = (GoogleAuthorizationCodeRequestUrl)flow.CreateAuthorizationCodeRequest(redirectUri, out verifier);
            request.State = state;
            request.AccessType = "offline";   // a refresh token
            request.Prompt = "consent";       // …every time, even when the person consented before
            return request;
        }

        private static FitbitSession CreateSession(ProfileStore store, ProfileRecord record, SessionOptions options) =>
            new FitbitSession(store, record, GoogleFlowFactory.Create(record.Client, record.RequestedScopes, store, options.HttpHandlerFactory, options.Clock), options);

        /// <summary>The store for this call; when -TokenCache names a different kind than the profile lives in, its record moves.</summary>
        private static ProfileStore OpenStore(SessionOptions options, string profile, out ProfileRecord moved)
        {
            moved = null;
            var existingKind = TokenStores.FindKind(profile, options.CacheFolder);
            var kind = options.TokenCache ?? existingKind ?? TokenCacheKind.Protected;
            var store = new ProfileStore(TokenStores.Create(kind, options.CacheFolder, options.Passphrase));
            if (existingKind != null && existingKind != kind)
            {
                var old = new ProfileStore(TokenStores.Create(existingKind.Value, options.CacheFolder, options.Passphrase));
                var record = old.Read(profile);
                moved = record;
                if (record != null)
                {
                    options.Log.Warning($"Profile '{profile}' moves from the {existingKind} token cache to the {kind} token cache.");
                    store.Update(profile, _ => record);
                    old.Delete(profile);
                }
            }
            if (kind == TokenCacheKind.Plaintext)
                options.Log.Warning($"The Plaintext token cache stores tokens and the client secret unencrypted in {store.Location} (file mode 0600).");
            return store;
        }

        private static StoredClient ResolveClient(ConnectOptions options, ProfileRecord existing, string profile)
        {
            StoredClient client;
            if (!string.IsNullOrWhiteSpace(options.ClientSecretFile)) client = ClientConfiguration.FromFile(options.ClientSecretFile);
            else if (!string.IsNullOrWhiteSpace(options.ClientId) || !string.IsNullOrEmpty(options.ClientSecret)) client = ClientConfiguration.FromIdAndSecret(options.ClientId, options.ClientSecret);
            else if (existing?.Client != null) client = existing.Client;
            else
                throw new FitbitAuthException(AuthErrorIds.ClientMissing, FitbitErrorKind.InvalidArgument,
                    $"Profile '{profile}' has no OAuth client yet. The first time, run Connect-Fitbit -Profile {profile} -ClientSecretFile <path to the JSON downloaded " +
                    "from Google Cloud console> (or -ClientId and -ClientSecret); FitbitPS remembers it, encrypted, with the profile.")
                { Profile = profile, RecommendedAction = $"Connect-Fitbit -Profile {profile} -ClientSecretFile <path to the client JSON from Google Cloud console>" };

            if (options.EndpointUri != null) ClientConfiguration.SetEndpoints(client, GoogleEndpoints.ForEmulator(options.EndpointUri));
            else if (client.TokenUri == null && existing?.Client?.TokenUri != null && existing.Client.ClientId == client.ClientId)
            {
                client.AuthUri = existing.Client.AuthUri; client.TokenUri = existing.Client.TokenUri;
                client.RevokeUri = existing.Client.RevokeUri; client.HealthApiBase = existing.Client.HealthApiBase;
            }
            if (client.TokenUri == null) ClientConfiguration.SetEndpoints(client, GoogleEndpoints.Google);
            return client;
        }

        private static string RandomState()
        {
            var b = new byte[24];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
            return Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }
}
