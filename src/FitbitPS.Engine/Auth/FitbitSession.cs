using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;
using Newtonsoft.Json.Linq;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// A signed-in profile: gives the Health API client current access tokens. Refresh is transparent
    /// and shared — concurrent callers in this process wait for one refresh, and across processes the
    /// profile's cache lock makes a process adopt a token another process just refreshed instead of
    /// refreshing again. Holds no token in any property or ToString.
    /// </summary>
    public sealed class FitbitSession : IAccessTokenSource, IDisposable
    {
        // Refresh a little before Google's expiry so a token never dies in flight.
        private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

        private readonly ProfileStore _store;
        private readonly PkceGoogleAuthorizationCodeFlow _flow;
        private readonly UserCredential _credential;
        private readonly SemaphoreSlim _refreshGate = new SemaphoreSlim(1, 1);
        private readonly SessionOptions _options;
        private ProfileRecord _record;
        private volatile Tuple<TokenResponseException, DateTime> _refreshRejected;

        internal FitbitSession(ProfileStore store, ProfileRecord record, PkceGoogleAuthorizationCodeFlow flow, SessionOptions options)
        {
            _store = store;
            _record = record;
            _flow = flow;
            _options = options;
            _credential = new UserCredential(flow, record.Profile, record.Token);
            Endpoints = ClientConfiguration.EndpointsOf(record.Client);
            Log = options.Log;
        }

        /// <summary>
        /// Where this session's messages go. A session outlives the command that opened it, so each
        /// command that uses it points this at its own streams.
        /// </summary>
        public EngineLogger Log { get; set; }

        public string Profile => _record.Profile;
        internal GoogleEndpoints Endpoints { get; }
        public string HealthUserId => _record.HealthUserId;
        public TokenCacheKind TokenCacheKind => _store.Kind;

        /// <summary>HTTP handler choice of this session (the readers build their HttpClient with it). null = default.</summary>
        public Func<HttpMessageHandler> HttpHandlerFactory => _options.HttpHandlerFactory;

        /// <summary>Settings every Health API client of this session gets (null: the defaults).</summary>
        internal Action<Api.HealthClient> ConfigureClient => _options.ConfigureClient;

        /// <summary>A snapshot for Get-FitbitContext.</summary>
        public FitbitContext Context
        {
            get
            {
                var r = _record.Clone();
                r.Token = _credential.Token; // current expiry
                return FitbitContext.From(r, _store.Blobs);
            }
        }

        public override string ToString() => $"FitbitPS session '{Profile}'";

        /// <summary>A current access token; <paramref name="forceRefresh"/>: the one held now was refused.</summary>
        public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
            => GetAccessTokenAsync(forceRefresh ? _credential.Token?.AccessToken ?? "" : null, cancellationToken);

        public async Task<string> GetAccessTokenAsync(string rejected, CancellationToken cancellationToken)
        {
            // A token counts as good unless it expires soon or it is the very one Google just refused: a late 401
            // for a request sent before a refresh gets the new token, not a second refresh.
            bool Good(TokenResponse t) => IsUsable(t) && (rejected == null || t.AccessToken != rejected);

            // Once Google refused the refresh token, every caller of this command gets that answer at once (no request
            // is sent with an access token of a grant that is gone). Later, the saved profile decides again: another
            // PowerShell may have signed in anew meanwhile.
            var dead = _refreshRejected;
            if (dead != null && DateTime.UtcNow - dead.Item2 < TimeSpan.FromSeconds(30)) throw SignInErrors.RefreshRejected(Profile, dead.Item1);
            var held = _credential.Token;
            if (Good(held)) return held.AccessToken;

            await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller in this process refreshed while we waited.
                if (Good(_credential.Token)) return _credential.Token.AccessToken;

                using (await _store.LockAsync(Profile, cancellationToken).ConfigureAwait(false))
                {
                    // Another process may have refreshed: adopt its token instead of refreshing again.
                    var stored = _store.Read(Profile);
                    if (stored?.Token == null || string.IsNullOrEmpty(stored.Token.RefreshToken))
                        throw stored?.RefreshRejectedUtc != null ? SignInErrors.RefreshRejected(Profile, null) : SignInErrors.NotSignedIn(Profile);
                    _record = stored;
                    _credential.Token = stored.Token;
                    if (Good(stored.Token))
                    {
                        Log.Debug($"Profile '{Profile}': using the access token another process refreshed.");
                        return stored.Token.AccessToken;
                    }
                    Log.Verbose($"Profile '{Profile}': refreshing the access token at {Endpoints.TokenEndpoint.GetLeftPart(UriPartial.Path)}.");
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    _record = _store.Read(Profile) ?? _record;
                    return _credential.Token.AccessToken;
                }
            }
            finally
            {
                _refreshGate.Release();
            }
        }

        /// <summary>
        /// One refresh at the token endpoint. Only invalid_grant means the refresh token is dead: then it is
        /// dropped and the profile remembers why. Any other failure (invalid_request, invalid_client, a 5xx, an
        /// HTML page, a body that is not a token) keeps the saved token, which Google may well still accept, and
        /// says what went wrong. Google.Apis.Auth would forget the token on every non-5xx error; ProfileDataStore
        /// ignores its delete so this is the one place that decides.
        /// </summary>
        private async Task RefreshAsync(CancellationToken cancellationToken)
        {
            try
            {
                // Google's flow stores the new token through ProfileDataStore (re-entrant lock).
                await _credential.RefreshTokenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TokenResponseException ex) when (ex.Error?.Error == "invalid_grant")
            {
                _store.Update(Profile, r =>
                {
                    if (r == null) return null;
                    r.Token = null;
                    r.RefreshRejectedUtc = DateTime.UtcNow;
                    return r;
                });
                // Only now: a caller told "refused" at once must find the profile saying so (the store is written first).
                _refreshRejected = Tuple.Create(ex, DateTime.UtcNow);
                throw SignInErrors.RefreshRejected(Profile, ex);
            }
            catch (TokenResponseException ex)
            {
                throw SignInErrors.FromTokenError(ex, Profile, refreshing: true);
            }
            catch (HttpRequestException ex)
            {
                throw SignInErrors.TokenEndpointUnreachable(Endpoints, ex);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch (Exception ex) when (ex is Newtonsoft.Json.JsonException || ex is NullReferenceException || ex is InvalidOperationException
                                       || ex is FormatException || ex is System.IO.IOException || ex is OperationCanceledException)
            {
                // A 200 whose body is not a token (empty, not JSON), a dropped connection, a timeout: Google.Apis.Auth
                // surfaces these raw. The saved token stays; the next command tries again.
                throw SignInErrors.TokenAnswerUnreadable(Endpoints, Profile, ex);
            }
            if (string.IsNullOrEmpty(_credential.Token?.AccessToken))
                throw SignInErrors.TokenAnswerUnreadable(Endpoints, Profile, null);
        }

        private bool IsUsable(TokenResponse t) =>
            t != null && !string.IsNullOrEmpty(t.AccessToken)
            && (t.ExpiresInSeconds == null || t.IssuedUtc.AddSeconds(t.ExpiresInSeconds.Value) - ExpiryMargin > _flow.Clock.UtcNow);

        /// <summary>
        /// GET {HealthApiBase}v4/users/me/identity → healthUserId; saved with the profile. Goes through
        /// <see cref="HealthClient"/>, so it is retried like every read (429/500/502/503/504, connection
        /// resets, one refresh after a 401, one retry of an unreadable answer) instead of ending a sign-in
        /// the person just completed in the browser.
        /// </summary>
        internal async Task<string> LoadHealthUserIdAsync(CancellationToken cancellationToken)
        {
            Identity identity;
            // A client of its own: the sign-in is not a connection yet (FitbitConnection is made from this session).
            using (var client = new HealthClient(this, Endpoints.HealthApiBase, HttpHandlerFactory?.Invoke()))
            {
                ConfigureClient?.Invoke(client);
                client.Log = Log;
                client.Waiting += wait => Log.Verbose(wait.ToString());
                try { identity = await client.GetIdentityAsync(cancellationToken).ConfigureAwait(false); }
                // Access withdrawn and an unreachable Google say so themselves, with their own way out.
                catch (HealthApiException ex) when (!(ex is AccessDeniedException) && !(ex is GoogleUnreachableException)) { throw IdentityError(ex); }
            }
            var id = identity.HealthUserId;
            if (string.IsNullOrWhiteSpace(id)) throw IdentityUnreadable("it has no healthUserId", null);
            RememberHealthUserId(id);
            return id;
        }

        /// <summary>Saves who signed in with the profile (asked by sign-in, or by a command of a profile saved before the
        /// id was kept).</summary>
        internal void RememberHealthUserId(string id)
            => _record = _store.Update(Profile, r => { if (r == null) return null; r.HealthUserId = id; return r; }) ?? _record;

        private FitbitAuthException IdentityError(HealthApiException ex)
        {
            if (ex is AccountNotLinkedException notLinked)
            {
                var links = notLinked.Links;
                var signUp = links.Count > 0 ? " Sign up: " + string.Join(", ", links) + "." : "";
                return new FitbitAuthException(AuthErrorIds.AccountNotLinked, FitbitErrorKind.PermissionDenied,
                    "This Google account is not linked to Google Health (ACCOUNT_NOT_LINKED): it has no Fitbit/Google Health profile." + signUp, ex)
                {
                    Profile = Profile,
                    RecommendedAction = (links.Count > 0 ? $"Create or link the profile at {string.Join(", ", links)}, then run " : "Sign in to the Fitbit app with this Google account, then run ") +
                                        $"Connect-Fitbit -Profile {Profile}; for another Google account, Connect-Fitbit -Profile {Profile} -Force.",
                };
            }
            // A 2xx whose body could not be parsed (twice): not Google's answer, or a broken one.
            if (ex.HttpStatus >= 200 && ex.HttpStatus < 300) return IdentityUnreadable("it is not the JSON Google sends", ex);
            var again = $"Your sign-in is saved: run Connect-Fitbit -Profile {Profile} again (no browser needed)";
            if (ex.HttpStatus == 0 || ex.HttpStatus == 429 || ex.HttpStatus >= 500)
                return new FitbitAuthException(AuthErrorIds.IdentityFailed, ex.HttpStatus == 0 ? FitbitErrorKind.ConnectionError : FitbitErrorKind.ResourceUnavailable,
                    $"Signed in, but the Google Health API did not say who signed in, even after retrying: {ex.Message} {again} when Google answers again.", ex)
                { Profile = Profile, RecommendedAction = again + "; check the network connection (and proxy) if it keeps failing." };
            return new FitbitAuthException(AuthErrorIds.IdentityFailed, ex.HttpStatus == 403 ? FitbitErrorKind.PermissionDenied : FitbitErrorKind.Authentication,
                $"Signed in, but the Google Health API refused the identity request: HTTP {ex.HttpStatus} {ex.Status} {ex.Reason}".TrimEnd() + $". {ex.Message}", ex)
            { Profile = Profile, RecommendedAction = $"Check that the Google Health API is enabled in the Cloud project, then run Connect-Fitbit -Profile {Profile} -Force." };
        }

        /// <summary>Google's answer to "who signed in" arrived but could not be read.</summary>
        private FitbitAuthException IdentityUnreadable(string why, Exception inner) =>
            new FitbitAuthException(AuthErrorIds.IdentityFailed, FitbitErrorKind.InvalidData,
                $"Signed in, but Google's answer to the identity request (which Google Health user signed in) could not be read: {why}. " +
                "A proxy or network filter may have answered in Google's place. " +
                $"Your sign-in is saved: run Connect-Fitbit -Profile {Profile} again (no browser needed); if this repeats, check the proxy settings.", inner)
            { Profile = Profile, RecommendedAction = $"Run Connect-Fitbit -Profile {Profile} again; if this repeats, check the network's proxy settings." };

        /// <summary>Revokes the grant at Google (the refresh token; access tokens die with it).</summary>
        internal async Task RevokeAsync(CancellationToken cancellationToken)
        {
            var token = _credential.Token?.RefreshToken ?? _credential.Token?.AccessToken;
            if (string.IsNullOrEmpty(token)) return;
            try { await _flow.RevokeTokenAsync(Profile, token, cancellationToken).ConfigureAwait(false); }
            catch (TokenResponseException ex)
            {
                // Already revoked/expired counts as revoked.
                if (ex.Error?.Error == "invalid_token" || ex.Error?.Error == "invalid_grant") return;
                throw RevokeFailed($"Google did not revoke the grant ({ex.Error?.Error})", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw RevokeFailed($"Google's revoke endpoint {Endpoints.RevokeEndpoint.GetLeftPart(UriPartial.Path)} could not be reached ({ex.Message})", ex);
            }
        }

        /// <summary>A failed revoke keeps the local tokens (so it can be tried again) and says so, and how to
        /// remove them without Google.</summary>
        private FitbitAuthException RevokeFailed(string why, Exception inner) =>
            new FitbitAuthException(AuthErrorIds.RevokeFailed, FitbitErrorKind.ConnectionError,
                $"{why}. The tokens of profile '{Profile}' are still saved on this computer, so the revoke can be tried again.", inner)
            {
                Profile = Profile,
                Target = Profile,
                RecommendedAction = $"Run Disconnect-Fitbit -Profile {Profile} -Revoke again when Google can be reached, or remove the local tokens now with " +
                                    $"Disconnect-Fitbit -Profile {Profile} and withdraw FitbitPS's access at https://myaccount.google.com/connections.",
            };

        public void Dispose() => _refreshGate.Dispose();
    }
}
