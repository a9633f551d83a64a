using System;
using System.IO;
using System.Linq;
using System.Text;
using FitbitPS.Engine.TokenStore;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// Reads the OAuth client JSON Google Cloud console downloads (Desktop "installed" or "web"). Every
    /// field FitbitPS or Google's format defines is checked for its JSON type first, so a bad file gets one
    /// error naming the file, the field and what it should be, never a parser's or converter's message
    /// (and never a value: the file holds the client secret). Files far larger than a client file are
    /// refused without being read.
    /// </summary>
    internal static class ClientConfiguration
    {
        private const string WhereToGetIt = "Download the client JSON again from Google Cloud console → Google Auth Platform → Clients → your OAuth client (type Desktop app) → Download JSON.";

        /// <summary>A client JSON from Google is under 2 KB; this leaves room for hand edits and nothing more.</summary>
        internal const int MaxFileBytes = 64 * 1024;

        private static readonly string[] StringFields = { "client_id", "client_secret", "project_id", "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_email", "client_x509_cert_url" };
        private static readonly string[] ListFields = { "redirect_uris", "javascript_origins" };

        public static StoredClient FromFile(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw Invalid(path, "no path was given");
            if (!File.Exists(path))
                throw Invalid(path, "the file does not exist");
            return FromJson(ReadBounded(path), path);
        }

        /// <summary>The file's text, refused above <see cref="MaxFileBytes"/>: by its size before opening it,
        /// and while reading for what reports no size (a device, a pipe).</summary>
        private static string ReadBounded(string path)
        {
            try
            {
                var size = new FileInfo(path).Length;
                if (size > MaxFileBytes) throw TooLarge(path, size);
                var buffer = new byte[MaxFileBytes + 1];
                var total = 0;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096))
                {
                    int n;
                    while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0) total += n;
                }
                if (total > MaxFileBytes) throw TooLarge(path, null);
                using (var reader = new StreamReader(new MemoryStream(buffer, 0, total), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
                    return reader.ReadToEnd();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Invalid(path, $"it cannot be read ({ex.Message})");
            }
        }

        public static StoredClient FromJson(string json, string pathForMessages = "(client secrets)")
        {
            JToken parsed;
            try
            {
                using (var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = 32 })
                {
                    parsed = JToken.ReadFrom(reader);
                    if (reader.Read()) throw new JsonReaderException("Additional text after the JSON value.", reader.Path, reader.LineNumber, reader.LinePosition, null);
                }
            }
            catch (JsonReaderException ex)
            {
                // Line/position only: the content may hold the secret.
                throw Invalid(pathForMessages, $"it is not valid JSON (line {ex.LineNumber}, position {ex.LinePosition})");
            }
            if (!(parsed is JObject root))
                throw WrongType(pathForMessages, "the top level", parsed, "an object ({\"installed\": {…}} for a Desktop app, {\"web\": {…}} for a Web application)");
            var type = OptionalString(root, "type", "type", pathForMessages);
            if (type == "service_account")
                throw Invalid(pathForMessages, "it is a service-account key; FitbitPS needs an OAuth client ID of type Desktop app (or Web application)");
            if (type == "authorized_user")
                throw Invalid(pathForMessages, "it is an 'authorized_user' credential (from gcloud), not an OAuth client file");
            foreach (var name in new[] { "installed", "web" })
                if (root[name] != null && root[name].Type != JTokenType.Object)
                    throw WrongType(pathForMessages, name, root[name], "an object");
            var kind = root["installed"] != null ? "installed" : root["web"] != null ? "web" : null;
            if (kind == null)
                throw Invalid(pathForMessages, "it has neither an \"installed\" (Desktop app) nor a \"web\" section");
            var section = (JObject)root[kind];

            foreach (var field in StringFields) OptionalString(section, field, kind + "." + field, pathForMessages);
            foreach (var field in ListFields) OptionalStrings(section, field, kind + "." + field, pathForMessages);
            var missing = new[] { "client_id", "client_secret" }.Where(k => string.IsNullOrWhiteSpace((string)section[k])).ToList();
            if (missing.Count > 0)
                throw Invalid(pathForMessages, $"its \"{kind}\" section has no {string.Join(" and no ", missing)}");

            var client = new StoredClient
            {
                ClientId = ((string)section["client_id"]).Trim(),
                ClientSecret = (string)section["client_secret"],
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

        /// <summary>The field's string (null when absent or JSON null); any other JSON type is an error naming the field.</summary>
        private static string OptionalString(JObject parent, string name, string field, string path)
        {
            var value = parent[name];
            if (value == null || value.Type == JTokenType.Null) return null;
            if (value.Type != JTokenType.String) throw WrongType(path, field, value, "a string");
            return (string)value;
        }

        private static void OptionalStrings(JObject parent, string name, string field, string path)
        {
            var value = parent[name];
            if (value == null || value.Type == JTokenType.Null) return;
            if (!(value is JArray array)) throw WrongType(path, field, value, "an array of strings");
            for (var i = 0; i < array.Count; i++)
                if (array[i].Type != JTokenType.String) throw WrongType(path, $"{field}[{i}]", array[i], "a string");
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

        /// <summary>Names the field and the JSON type found, never the value.</summary>
        private static FitbitAuthException WrongType(string path, string field, JToken found, string shouldBe) =>
            Invalid(path, $"\"{field}\" is {Describe(found.Type)}; it should be {shouldBe}");

        private static string Describe(JTokenType type)
        {
            switch (type)
            {
                case JTokenType.Object: return "an object";
                case JTokenType.Array: return "an array";
                case JTokenType.Integer: case JTokenType.Float: return "a number";
                case JTokenType.Boolean: return "true or false";
                case JTokenType.String: return "a string";
                case JTokenType.Null: return "null";
                default: return "a " + type.ToString().ToLowerInvariant();
            }
        }

        private static FitbitAuthException TooLarge(string path, long? size) =>
            Invalid(path, (size.HasValue ? $"it is {Size(size.Value)}" : $"it holds more than {Size(MaxFileBytes)}") +
                          $", and a client JSON from Google Cloud console is under 2 KB, so it is not one (FitbitPS reads at most {Size(MaxFileBytes)})");

        private static string Size(long bytes) =>
            bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";
    }
}
