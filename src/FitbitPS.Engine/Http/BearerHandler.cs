using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Auth;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Puts the current access token on each attempt. A 401 refreshes the token once, here, while the throttle's slot
    /// is still held: the requests queued behind this one then go out with the new token (or fail at once if the grant
    /// is gone) instead of each collecting its own 401. The resend itself is asked of <see cref="RetryHandler"/>
    /// (<see cref="RequestContext.ResendAtOnce"/>) so that it queues for a slot and counts against the quota like any
    /// request. A second 401 means the sign-in is gone.
    /// </summary>
    internal sealed class BearerHandler : DelegatingHandler
    {
        private readonly IAccessTokenSource _tokens;

        public BearerHandler(HttpMessageHandler inner, IAccessTokenSource tokens) : base(inner)
        {
            _tokens = tokens;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = RequestContext.Of(request);
            var token = await _tokens.GetAccessTokenAsync(context.RejectedToken, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
            try
            {
                if (context.RejectedToken != null)
                {
                    var body = (PooledContent)response.Content;
                    throw new AuthenticationFailedException(GoogleErrors.ParseError(body.Buffer, body.Length)?.Message ?? "HTTP 401");
                }
                context.RejectedToken = token;
                await _tokens.GetAccessTokenAsync(token, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            context.ResendAtOnce = true;
            return response;
        }
    }
}
