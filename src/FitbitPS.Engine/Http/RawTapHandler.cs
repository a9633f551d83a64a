using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Hands every 2xx answer, whole, to the store of the export running in this async flow (<see cref="RawTap"/>), so
    /// the store keeps what the records were parsed from. Outside an export it does nothing.
    /// </summary>
    internal sealed class RawTapHandler : DelegatingHandler
    {
        public RawTapHandler(HttpMessageHandler inner) : base(inner) { }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var tap = RawTap.Current;
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (tap != null && response.IsSuccessStatusCode && response.Content is PooledContent body)
            {
                string sent = request.Content == null ? null : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
                tap.Keep(request, sent, body.Buffer, body.Length);
            }
            return response;
        }
    }
}
