using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Fails an attempt at once once the command has ended (<see cref="CommandFailure"/>). In the chain twice: before
    /// the throttle (no quota wait or slot is spent on a request that cannot succeed) and again inside the slot
    /// (the command may have ended while this request queued).
    /// </summary>
    internal sealed class FailFastHandler : DelegatingHandler
    {
        private readonly CommandFailure _failure;

        public FailFastHandler(HttpMessageHandler inner, CommandFailure failure) : base(inner)
        {
            _failure = failure;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _failure.ThrowIfEnded();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
