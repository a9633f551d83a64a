using System;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// The Google hosts FitbitPS talks to. Real Google by default; <see cref="ForEmulator"/> points every
    /// endpoint at one base URL (our emulator, or any Google-compatible endpoint set).
    /// </summary>
    internal sealed class GoogleEndpoints
    {
        public GoogleEndpoints(Uri authorizationEndpoint, Uri tokenEndpoint, Uri revokeEndpoint, Uri healthApiBase)
        {
            AuthorizationEndpoint = authorizationEndpoint ?? throw new ArgumentNullException(nameof(authorizationEndpoint));
            TokenEndpoint = tokenEndpoint ?? throw new ArgumentNullException(nameof(tokenEndpoint));
            RevokeEndpoint = revokeEndpoint ?? throw new ArgumentNullException(nameof(revokeEndpoint));
            if (healthApiBase == null) throw new ArgumentNullException(nameof(healthApiBase));
            HealthApiBase = EnsureTrailingSlash(healthApiBase);
        }

        /// <summary>e.g. https://accounts.google.com/o/oauth2/v2/auth</summary>
        public Uri AuthorizationEndpoint { get; }

        /// <summary>e.g. https://oauth2.googleapis.com/token</summary>
        public Uri TokenEndpoint { get; }

        /// <summary>e.g. https://oauth2.googleapis.com/revoke</summary>
        public Uri RevokeEndpoint { get; }

        /// <summary>Ends with '/', e.g. https://health.googleapis.com/ (append "v4/users/me/...").</summary>
        public Uri HealthApiBase { get; }

        /// <summary>Google's production endpoints.</summary>
        public static GoogleEndpoints Google { get; } = new GoogleEndpoints(
            new Uri("https://accounts.google.com/o/oauth2/v2/auth"),
            new Uri("https://oauth2.googleapis.com/token"),
            new Uri("https://oauth2.googleapis.com/revoke"),
            new Uri("https://health.googleapis.com/"));

        /// <summary>All Google hosts on one base URL: {base}o/oauth2/v2/auth, {base}token, {base}revoke, {base}v4/…</summary>
        public static GoogleEndpoints ForEmulator(Uri baseUrl)
        {
            if (baseUrl == null) throw new ArgumentNullException(nameof(baseUrl));
            if (!baseUrl.IsAbsoluteUri) throw new ArgumentException("The endpoint base URL must be absolute, e.g. http://127.0.0.1:5000/.", nameof(baseUrl));
            var b = EnsureTrailingSlash(baseUrl);
            return new GoogleEndpoints(new Uri(b, "o/oauth2/v2/auth"), new Uri(b, "token"), new Uri(b, "revoke"), b);
        }

        /// <summary>True when these are Google's production endpoints.</summary>
        public bool IsGoogle => HealthApiBase == Google.HealthApiBase && TokenEndpoint == Google.TokenEndpoint;

        public override string ToString() => IsGoogle ? "Google" : HealthApiBase.ToString();

        private static Uri EnsureTrailingSlash(Uri u) =>
            u.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? u : new Uri(u.AbsoluteUri + "/");
    }
}
