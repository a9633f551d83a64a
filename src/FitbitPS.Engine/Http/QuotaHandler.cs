using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Passes each attempt through the client's <see cref="RequestThrottle"/> (requests in flight, Google's per-minute
    /// quota), page chains first (<see cref="RequestContext.Chain"/>). The slot is held until the response is disposed:
    /// the caller checks and spools the body inside it, and the throttle's grace for a chain's next page counts from
    /// there.
    /// </summary>
    internal sealed class QuotaHandler : DelegatingHandler
    {
        private readonly RequestThrottle _throttle;
        private readonly Action<RequestWait> _waiting;

        public QuotaHandler(HttpMessageHandler inner, RequestThrottle throttle, Action<RequestWait> waiting) : base(inner)
        {
            _throttle = throttle;
            _waiting = waiting;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = RequestContext.Of(request);
            var slot = await _throttle.EnterAsync(d => _waiting(new RequestWait("per-minute quota", d, 0, context.What)), cancellationToken, context.Chain)
                .ConfigureAwait(false);
            HttpResponseMessage response;
            try { response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false); }
            catch
            {
                slot.Dispose();
                throw;
            }
            if (response.Content is PooledContent body) body.HoldUntilDisposed(slot);
            else slot.Dispose();
            return response;
        }
    }
}
