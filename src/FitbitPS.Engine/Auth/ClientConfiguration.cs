using System;
using System.IO;
using System.Linq;
using System.Text;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Reads the OAuth client JSON Google Cloud console downloads (Desktop "installed" or "web").
    /// Google's <see cref="GoogleClientSecrets"/> does the parsing; the checks before it exist only to
    /// say exactly what is wrong with a bad file.
    /// </summary>
    public static class ClientConfiguration
    {
        private const string WhereToGetIt = "Download it from Google Cloud console → APIs & Services → Credentials → your OAuth 2.0 Client ID (type Desktop app) → Download JSON.";

        public static StoredClient FromFile(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw Invalid(path, "no path was given");
            if (!File.Exists(path))
                throw Invalid(path, "the file does not exist");
            return FromJson(File.ReadAllText(path, Encoding.UTF8), path);
        }

        public static StoredClient FromJson(string json, string pathForMessages = "(client secrets)")
        {
            JObject root;
            try { root = JObject.Parse(json); }
            catch (JsonReaderException ex)
            {
                // Line/position only: the content may hold the secret.
                throw Invalid(pathForMessages, $"it is not valid JSON (line {ex.LineNumber}, position {ex.LinePosition})");
            }
            if ((string)root["type"] == "service_account")
                throw Invalid(pathForMessages, "it is a service-account key; FitbitPS needs an OAuth client ID of type Desktop app (or Web application)");
            if ((string)root["type"] == "authorized_user")
                throw Invalid(pathForMessages, "it is an 'authorized_user' credential (from gcloud), not an OAuth client file");
            var kind = root["installed"] is JObject ? "installed" : root["web"] is JObject ? "web" : null;
            if (kind == null)
                throw Invalid(pathForMessages, "it has neither an \"installed\" (Desktop app) nor a \"web\" section");
            var section = (JObject)root[kind];
            var missing = new[] { "client_id", "client_secret" }.Where(k => string.IsNullOrWhiteSpace((string)section[k])).ToList();
            if (missing.Count > 0)
                throw Invalid(pathForMessages, $"its \"{kind}\" section has no {string.Join(" and no ", missing)}");

            GoogleClientSecrets secrets;
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
                secrets = GoogleClientSecrets.FromStream(ms);

            var client = new StoredClient
            {
                ClientId = secrets.Secrets.ClientId,
                ClientSecret = secrets.Secrets.ClientSecret,
                ClientType = kind,
            };
            // A token_uri that is not Google's means a Google-compatible endpoint set (e.g. the emulator)
            // rooted at the token URI's folder.
            if (Uri.TryCreate((string)section["token_uri"], UriKind.Absolute, out var tokenUri)
                && !tokenUri.Host.EndsWith("googleapis.com", StringComparison.OrdinalIgnoreCase)
                && !tokenUri.Host.EndsWith("google.com", StringComparison.OrdinalIgnoreCase))
            {
                SetEndpoints(client, GoogleEndpoints.ForEmulator(new Uri(tokenUri, "./")));
            }
            // Web clients need a registered redirect URI, exactly as registered (LoopbackRedirect picks one).
            if (kind == "web" && section["redirect_uris"] is JArray uris)
            {
                client.RedirectUris = uris.Select(x => (string)x).ToList();
                var first = client.RedirectUris.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var ru) ? ru : null)
                    .FirstOrDefault(ru => ru != null && (ru.Host == "127.0.0.1" || ru.Host == "localhost" || ru.Host == "[::1]") && !ru.IsDefaultPort);
                if (first != null) client.Port = first.Port;
            }
            return client;
        }

        public static StoredClient FromIdAndSecret(string clientId, string clientSecret)
        {
            if (string.IsNullOrWhiteSpace(clientId))
                throw new FitbitAuthException(AuthErrorIds.ClientSecretsInvalid, FitbitErrorKind.InvalidArgument, "-ClientId is empty. " + WhereToGetIt) { RecommendedAction = WhereToGetIt };
            if (string.IsNullOrEmpty(clientSecret))
                throw new FitbitAuthException(AuthErrorIds.ClientSecretsInvalid, FitbitErrorKind.InvalidArgument,
                    "-ClientSecret is empty. Google requires the client secret even for Desktop clients with PKCE. " + WhereToGetIt) { RecommendedAction = WhereToGetIt };
            return new StoredClient { ClientId = clientId.Trim(), ClientSecret = clientSecret, ClientType = "installed" };
        }

        internal static void SetEndpoints(StoredClient client, GoogleEndpoints e)
        {
            client.AuthUri = e.AuthorizationEndpoint.AbsoluteUri;
            client.TokenUri = e.TokenEndpoint.AbsoluteUri;
            client.RevokeUri = e.RevokeEndpoint.AbsoluteUri;
            client.HealthApiBase = e.HealthApiBase.AbsoluteUri;
        }

        internal static GoogleEndpoints EndpointsOf(StoredClient client) =>
            client?.TokenUri == null
                ? GoogleEndpoints.Google
                : new GoogleEndpoints(new Uri(client.AuthUri), new Uri(client.TokenUri), new Uri(client.RevokeUri), new Uri(client.HealthApiBase));

        private static FitbitAuthException Invalid(string path, string what) =>
            new FitbitAuthException(AuthErrorIds.ClientSecretsInvalid, FitbitErrorKind.InvalidData,
                $"The client secrets file '{path}' cannot be used: {what}. {WhereToGetIt}") { Target = path, RecommendedAction = WhereToGetIt };
    }
}
