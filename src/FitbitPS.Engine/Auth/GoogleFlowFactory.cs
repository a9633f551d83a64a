using System;
using System.Collections.Generic;
using System.Net.Http;
using FitbitPS.Engine.TokenStore;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Http;

namespace FitbitPS.Engine.Auth
{
    /// <summary>Builds Google's PKCE authorization-code flow for a profile, pointed at the profile's endpoints.</summary>
    internal static class GoogleFlowFactory
    {
        public static PkceGoogleAuthorizationCodeFlow Create(StoredClient client, IEnumerable<string> scopes, ProfileStore store, Func<HttpMessageHandler> handlerFactory, Google.Apis.Util.IClock clock = null)
        {
            var endpoints = ClientConfiguration.EndpointsOf(client);
            var init = new EndpointInitializer(
                endpoints.AuthorizationEndpoint.AbsoluteUri, endpoints.TokenEndpoint.AbsoluteUri, endpoints.RevokeEndpoint.AbsoluteUri)
            {
                ClientSecrets = new ClientSecrets { ClientId = client.ClientId, ClientSecret = client.ClientSecret },
                Scopes = scopes,
                DataStore = new ProfileDataStore(store),
                Prompt = "consent",
            };
            if (clock != null) init.Clock = clock;
            if (handlerFactory != null) init.HttpClientFactory = new HandlerClientFactory(handlerFactory);
            return new PkceGoogleAuthorizationCodeFlow(init);
        }

        /// <summary>Google exposes the endpoint-taking Initializer constructor to subclasses only.</summary>
        private sealed class EndpointInitializer : GoogleAuthorizationCodeFlow.Initializer
        {
            public EndpointInitializer(string authorizationServerUrl, string tokenServerUrl, string revokeTokenUrl)
                : base(authorizationServerUrl, tokenServerUrl, revokeTokenUrl) { }
        }

        /// <summary>Google.Apis' HTTP seam: wraps a handler we choose in Google's configurable client.</summary>
        internal sealed class HandlerClientFactory : HttpClientFactory
        {
            private readonly Func<HttpMessageHandler> _make;
            public HandlerClientFactory(Func<HttpMessageHandler> make) { _make = make; }
            protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => _make() ?? base.CreateHandler(args);
        }
    }
}
