using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Tells the client's <see cref="ConnectionHealth"/> how each attempt went: any answer starts its count of failed
    /// connections again; a failed connection adds to it, and the command stops with "Google is unreachable" after
    /// <see cref="ConnectionHealth.Limit"/> in a row, over the client or (however other requests fare) over this request
    /// alone. Why a handler of its own, inside the throttle's slot: the client's count changes before the slot frees,
    /// so a request that was queued behind a failure that made Google unreachable fails at once instead of trying.
    /// </summary>
    internal sealed class ConnectionHealthHandler : DelegatingHandler
    {
        private readonly ConnectionHealth _health;
        private readonly Uri _api;

        public ConnectionHealthHandler(HttpMessageHandler inner, ConnectionHealth health, Uri api) : base(inner)
        {
            _health = health;
            _api = api;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _health.Answered();
                return response;
            }
            catch (AttemptFailedException failed) when (failed.BodyCutShort)
            {
                _health.Answered(); // Google answered; the body broke off
                throw;
            }
            catch (AttemptFailedException failed)
            {
                // Several failed connections in a row (this request's and others'): Google cannot be reached.
                // Fail the command now, once, rather than retrying every remaining request for minutes.
                failed.FailuresInARow = _health.Failed(failed.Transport, _api, failed.Deadline);
                var context = RequestContext.Of(request);
                // However other requests fare (their answers start the client's count again), one request
                // gives up after as many failed attempts of its own.
                if (context.SinceFirstFailure == null) context.SinceFirstFailure = Stopwatch.StartNew();
                if (++context.ConnectionFailures >= _health.Limit)
                    throw new GoogleUnreachableException(_api, context.ConnectionFailures, context.SinceFirstFailure.Elapsed, failed.Transport);
                throw;
            }
        }
    }
}
