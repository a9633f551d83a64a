using System;
using System.Threading.Tasks;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Util.Store;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// Google.Apis' persistence seam over our profile store: Google's flow stores and loads its
    /// <see cref="TokenResponse"/> under the user id, which is the profile name. Other keys are not used
    /// by the authorization-code flow and are refused.
    /// </summary>
    internal sealed class ProfileDataStore : IDataStore
    {
        private readonly ProfileStore _store;

        public ProfileDataStore(ProfileStore store) { _store = store; }

        public Task StoreAsync<T>(string key, T value)
        {
            var token = value as TokenResponse ?? throw new NotSupportedException("FitbitPS stores only OAuth token responses.");
            _store.Update(key, r =>
            {
                r = r ?? new ProfileRecord { Profile = key };
                // Google omits refresh_token on refresh: keep the one we have.
                if (string.IsNullOrEmpty(token.RefreshToken) && r.Token != null) token.RefreshToken = r.Token.RefreshToken;
                r.Token = token;
                r.RefreshRejectedUtc = null;
                return r;
            });
            return Task.CompletedTask;
        }

        public Task DeleteAsync<T>(string key)
        {
            // Google's flow calls this after any token-endpoint error that is not a 5xx (invalid_request,
            // invalid_client, an HTML 403…), which would forget a refresh token Google still accepts. FitbitSession
            // drops the token itself, on invalid_grant only.
            return Task.CompletedTask;
        }

        public Task<T> GetAsync<T>(string key)
        {
            var r = _store.Read(key);
            object token = r?.Token;
            return Task.FromResult(token is T t ? t : default(T));
        }

        public Task ClearAsync() => throw new NotSupportedException("Clear profiles one at a time with Disconnect-Fitbit.");
    }
}
