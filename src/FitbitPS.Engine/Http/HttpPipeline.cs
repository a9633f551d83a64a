using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// The handlers every request of a client passes through, outermost first:
    /// Retry → FailFast → Quota → FailFast → Bearer → ConnectionHealth → Traffic → RawTap → PooledBody → the network.
    /// Waits between attempts happen outside the throttle's slot; everything from the token to the body happens inside it.
    /// A request needs a <see cref="RequestContext"/>; a response's content is a <see cref="PooledContent"/>.
    /// </summary>
    internal sealed class HttpPipeline : IDisposable
    {
        private readonly HttpMessageInvoker _invoker;

        /// <param name="tokens">Access tokens (the session).</param>
        /// <param name="api">The Health API's base address, named when Google is unreachable.</param>
        /// <param name="network">The HTTP handler that talks to Google.</param>
        /// <param name="disposeNetwork">Dispose <paramref name="network"/> with the pipeline.</param>
        /// <param name="throttle">The signed-in profile's limiter.</param>
        /// <param name="waiting">Told of every back-off or quota wait.</param>
        /// <param name="completed">Told the client's request count after every exchange.</param>
        public HttpPipeline(IAccessTokenSource tokens, Uri api, HttpMessageHandler network, bool disposeNetwork, RequestThrottle throttle,
            Action<RequestWait> waiting, Action<int> completed)
        {
            Connection = new ConnectionHealth();
            Failure = new CommandFailure(Connection);
            Body = new PooledBodyHandler(network);
            Traffic = new TrafficHandler(new RawTapHandler(Body), completed);
            var bearer = new BearerHandler(new ConnectionHealthHandler(Traffic, Connection, api), tokens);
            var quota = new QuotaHandler(new FailFastHandler(bearer, Failure), throttle, waiting);
            Retry = new RetryHandler(new FailFastHandler(quota, Failure), waiting);
            // Not disposing the chain leaves the caller's handler alone; ours hold nothing to release.
            _invoker = new HttpMessageInvoker(Retry, disposeNetwork);
        }

        public RetryHandler Retry { get; }
        public PooledBodyHandler Body { get; }
        public TrafficHandler Traffic { get; }
        public ConnectionHealth Connection { get; }
        public CommandFailure Failure { get; }

        /// <summary>The answer, its body read whole; the caller disposes it (which frees the throttle's slot).</summary>
        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _invoker.SendAsync(request, cancellationToken);

        public void Dispose() => _invoker.Dispose();
    }
}
