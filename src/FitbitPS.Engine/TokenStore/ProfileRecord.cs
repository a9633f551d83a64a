using System;
using System.Collections.Generic;
using Google.Apis.Auth.OAuth2.Responses;
using Newtonsoft.Json;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// Everything FitbitPS remembers for one profile, stored as one encrypted blob: the OAuth client
    /// (id, secret, endpoints), Google's token response, scopes and the Google Health user id.
    /// ToString never shows a secret.
    /// </summary>
    internal sealed class ProfileRecord
    {
        [JsonProperty("version")] public int Version { get; set; } = 1;
        [JsonProperty("profile")] public string Profile { get; set; }
        [JsonProperty("client")] public StoredClient Client { get; set; }
        [JsonProperty("token")] public TokenResponse Token { get; set; }
        [JsonProperty("requestedScopes")] public List<string> RequestedScopes { get; set; } = new List<string>();
        [JsonProperty("grantedScopes")] public List<string> GrantedScopes { get; set; } = new List<string>();
        [JsonProperty("healthUserId")] public string HealthUserId { get; set; }
        [JsonProperty("signedInUtc")] public DateTime? SignedInUtc { get; set; }
        /// <summary>When Google last refused the refresh token (invalid_grant); tokens are then gone.</summary>
        [JsonProperty("refreshRejectedUtc")] public DateTime? RefreshRejectedUtc { get; set; }

        public ProfileRecord Clone() => JsonConvert.DeserializeObject<ProfileRecord>(JsonConvert.SerializeObject(this));

        internal byte[] ToBytes() => System.Text.Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(this));

        internal static ProfileRecord FromBytes(byte[] bytes) =>
            JsonConvert.DeserializeObject<ProfileRecord>(System.Text.Encoding.UTF8.GetString(bytes));

        public override string ToString() => $"FitbitPS profile '{Profile}' (client {Client?.ClientId})";
    }

    /// <summary>The OAuth client and endpoints a profile signs in with (remembered, encrypted with the tokens).</summary>
    internal sealed class StoredClient
    {
        [JsonProperty("clientId")] public string ClientId { get; set; }
        [JsonProperty("clientSecret")] public string ClientSecret { get; set; }
        /// <summary>"installed" (Desktop) or "web".</summary>
        [JsonProperty("clientType")] public string ClientType { get; set; } = "installed";
        [JsonProperty("authUri")] public string AuthUri { get; set; }
        [JsonProperty("tokenUri")] public string TokenUri { get; set; }
        [JsonProperty("revokeUri")] public string RevokeUri { get; set; }
        [JsonProperty("healthApiBase")] public string HealthApiBase { get; set; }
        /// <summary>Loopback port registered for a Web client (0 = any free port).</summary>
        [JsonProperty("port")] public int Port { get; set; }
        /// <summary>A Web client's registered redirect URIs, as written (Google compares them exactly);
        /// null for Desktop clients and for profiles saved before they were kept.</summary>
        [JsonProperty("redirectUris", NullValueHandling = NullValueHandling.Ignore)] public List<string> RedirectUris { get; set; }

        public override string ToString() => $"OAuth client {ClientId}";
    }
}
