using System;
using System.Collections.Generic;
using FitbitPS.Engine.TokenStore;

namespace FitbitPS.Engine.Auth
{
    /// <summary>Whether a saved profile can sign in silently, and if not, why.</summary>
    public enum ProfileStatus
    {
        /// <summary>It holds a refresh token: readers sign in without a browser.</summary>
        SignedIn,
        /// <summary>It holds no refresh token (signed out, or never finished signing in).</summary>
        SignedOut,
        /// <summary>Google refused its refresh token (revoked, or the 7-day limit of an app in Testing).</summary>
        RefreshRejected,
        /// <summary>Its cache cannot be opened now: the passphrase is missing or wrong, or the OS keyring is locked or unavailable.</summary>
        Locked,
        /// <summary>Its cache was changed or damaged and cannot be trusted.</summary>
        Damaged,
    }

    /// <summary>
    /// What Connect-Fitbit and Get-FitbitContext show about a profile. Never holds a token or secret.
    /// </summary>
    public sealed class FitbitContext
    {
        public string Profile { get; set; }
        /// <summary>The Google Health user id (users/{id}/… in API paths).</summary>
        public string HealthUserId { get; set; }
        /// <summary>Friendly names of the granted scopes (Activity, Sleep, …).</summary>
        public string[] GrantedScopes { get; set; } = new string[0];
        /// <summary>Friendly names of scopes requested but not granted.</summary>
        public string[] MissingScopes { get; set; } = new string[0];
        public TokenCacheKind TokenCacheKind { get; set; }
        public string CacheLocation { get; set; }
        public bool CacheEncrypted { get; set; }
        public DateTime? AccessTokenExpiresUtc { get; set; }
        /// <summary>The OAuth client id (not its secret).</summary>
        public string ClientId { get; set; }
        /// <summary>"Google" or the base URL of the Google-compatible endpoint set (emulator).</summary>
        public string Endpoint { get; set; }
        /// <summary>True when the profile holds a refresh token (sign-in will be silent).</summary>
        public bool SignedIn { get; set; }
        /// <summary>SignedIn, or why not (SignedOut, RefreshRejected, Locked, Damaged).</summary>
        public ProfileStatus Status { get; set; }
        /// <summary>For a status other than SignedIn: what is wrong and what to do.</summary>
        public string StatusMessage { get; set; }
        public DateTime? SignedInUtc { get; set; }

        public override string ToString() => $"FitbitPS profile '{Profile}'" + (HealthUserId != null ? $" (Google Health user {HealthUserId})" : "");

        private static int Order(string name)
        {
            for (var i = 0; i < FitbitScopes.Names.Count; i++)
                if (string.Equals(FitbitScopes.Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            return int.MaxValue;
        }

        internal static FitbitContext From(ProfileRecord r, IProfileBlobStore store)
        {
            var requested = r?.RequestedScopes ?? new List<string>();
            var granted = r?.GrantedScopes ?? new List<string>();
            var missing = new List<string>();
            foreach (var s in requested) if (!granted.Contains(s)) missing.Add(FitbitScopes.ToFriendlyName(s));
            var grantedNames = new List<string>();
            foreach (var s in granted) grantedNames.Add(FitbitScopes.ToFriendlyName(s));
            grantedNames.Sort((a, b) => Order(a).CompareTo(Order(b)));
            DateTime? expires = null;
            if (r?.Token?.ExpiresInSeconds != null) expires = r.Token.IssuedUtc.AddSeconds(r.Token.ExpiresInSeconds.Value);
            Uri health = null;
            if (r?.Client?.HealthApiBase != null) Uri.TryCreate(r.Client.HealthApiBase, UriKind.Absolute, out health);
            return new FitbitContext
            {
                Profile = r?.Profile,
                HealthUserId = r?.HealthUserId,
                GrantedScopes = grantedNames.ToArray(),
                MissingScopes = missing.ToArray(),
                TokenCacheKind = store.Kind,
                CacheLocation = store.Location,
                CacheEncrypted = store.Encrypted,
                AccessTokenExpiresUtc = expires,
                ClientId = r?.Client?.ClientId,
                Endpoint = health == null || health == GoogleEndpoints.Google.HealthApiBase ? "Google" : health.ToString(),
                SignedIn = !string.IsNullOrEmpty(r?.Token?.RefreshToken),
                Status = !string.IsNullOrEmpty(r?.Token?.RefreshToken) ? ProfileStatus.SignedIn
                    : r?.RefreshRejectedUtc != null ? ProfileStatus.RefreshRejected : ProfileStatus.SignedOut,
                StatusMessage = !string.IsNullOrEmpty(r?.Token?.RefreshToken) ? null
                    : r?.RefreshRejectedUtc != null ? $"Google refused the refresh token on {r.RefreshRejectedUtc:yyyy-MM-dd HH:mm} UTC. Run Connect-Fitbit -Profile {r.Profile}."
                    : $"No refresh token is saved. Run Connect-Fitbit -Profile {r?.Profile}.",
                SignedInUtc = r?.SignedInUtc,
            };
        }
    }
}
