using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.TokenStore;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Auth
{
    /// <summary>
    /// The loopback redirect URI a sign-in sends as redirect_uri and listens on. A Desktop ("installed")
    /// client: Google accepts any loopback port, so http://127.0.0.1:PORT/ with -Port or a free port. A
    /// "Web application" client: Google accepts only a registered URI, compared exactly, so one of the
    /// client's registered loopback URIs (host localhost, 127.0.0.1 or [::1]) is used as written.
    /// </summary>
    internal sealed class LoopbackRedirect
    {
        private LoopbackRedirect(string host, int port, string path, string exact)
        {
            Host = host; Port = port; Path = path; Exact = exact;
        }

        /// <summary>"127.0.0.1", "localhost" or "[::1]".</summary>
        public string Host { get; }
        /// <summary>0: a free port, chosen when listening.</summary>
        public int Port { get; }
        public string Path { get; }
        /// <summary>The registered URI, sent as written (Web clients); null: built from host, port and path.</summary>
        public string Exact { get; }

        /// <summary>Any loopback port on 127.0.0.1 (Desktop clients).</summary>
        public static LoopbackRedirect AnyPort(int port) => new LoopbackRedirect("127.0.0.1", port, "/", null);

        /// <summary>
        /// The redirect for <paramref name="client"/>; for a Web client the registered loopback URI with
        /// <paramref name="requestedPort"/> (or the first one with a port when 0). Throws, before anything
        /// listens or a browser opens, when the Web client registers no usable one.
        /// </summary>
        public static LoopbackRedirect For(StoredClient client, int requestedPort, string profile)
        {
            if (client?.ClientType != "web") return AnyPort(requestedPort);
            var registered = Registered(client);
            var loopback = registered.Select(TryParse).Where(r => r != null).ToList();
            var chosen = requestedPort != 0
                ? loopback.FirstOrDefault(r => r.Port == requestedPort)
                : loopback.FirstOrDefault(r => !r.DefaultPort) ?? loopback.FirstOrDefault();
            if (chosen != null && (requestedPort != 0 || !chosen.DefaultPort)) return chosen.Redirect;

            var list = registered.Count == 0 ? "none" : string.Join(", ", registered);
            var where = "Google Cloud console → Google Auth Platform → Clients → " + client.ClientId + " → Authorized redirect URIs";
            var withoutPort = loopback.FirstOrDefault(r => !r.DefaultPort);
            if (requestedPort != 0 && loopback.Count > 0)
                throw new FitbitAuthException(AuthErrorIds.RedirectUriNotRegistered, FitbitErrorKind.InvalidArgument,
                    $"-Port {requestedPort} matches no redirect URI registered for the Web-application OAuth client {client.ClientId}, and Google accepts " +
                    $"only those, exactly. Registered: {list}. " +
                    (withoutPort != null ? $"Run Connect-Fitbit without -Port (FitbitPS then uses {withoutPort.Redirect.Exact}), or register" : "Register") +
                    $" http://localhost:{requestedPort}/ in {where} and download the client JSON again.")
                {
                    Profile = profile, Target = requestedPort,
                    RecommendedAction = $"Run Connect-Fitbit -Profile {profile} without -Port, or register http://localhost:{requestedPort}/ in {where}.",
                };
            throw new FitbitAuthException(AuthErrorIds.RedirectUriNotRegistered, FitbitErrorKind.InvalidArgument,
                $"The Web-application OAuth client {client.ClientId} registers no loopback redirect URI with a port that FitbitPS could listen on " +
                $"(registered: {list}), and Google accepts only registered ones. Add http://localhost:8400/ in {where}, download the client JSON " +
                "again and run Connect-Fitbit -ClientSecretFile <it>; or create a Desktop-app client, which needs no redirect URI.")
            {
                Profile = profile,
                RecommendedAction = $"Add http://localhost:8400/ in {where} and download the client JSON again, or use a Desktop-app client.",
            };
        }

        /// <summary>The client's registered redirect URIs; a profile saved before they were kept has only the port.</summary>
        private static IReadOnlyList<string> Registered(StoredClient client)
        {
            if (client.RedirectUris != null) return client.RedirectUris;
            return client.Port != 0 ? new[] { $"http://127.0.0.1:{client.Port}/" } : Array.Empty<string>();
        }

        private sealed class Candidate
        {
            public LoopbackRedirect Redirect;
            public int Port;
            public bool DefaultPort;
        }

        /// <summary>A registered URI FitbitPS can listen on: plain http to a loopback host, nothing else in it.</summary>
        private static Candidate TryParse(string registered)
        {
            if (!Uri.TryCreate(registered, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp) return null;
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0) return null;
            var host = uri.Host.ToLowerInvariant();
            if (host != "localhost" && host != "127.0.0.1" && host != "[::1]") return null;
            return new Candidate { Redirect = new LoopbackRedirect(host, uri.Port, uri.AbsolutePath, registered), Port = uri.Port, DefaultPort = uri.IsDefaultPort };
        }
    }
}
