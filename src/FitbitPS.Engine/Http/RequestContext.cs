using System.Diagnostics;
using System.Net.Http;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// One Health API request as the handlers see it over all its attempts: what it is for (named in waits and
    /// errors), whether it is a step of a page chain (the throttle serves those first), and what its attempts have
    /// learnt so far. Carried in <see cref="HttpRequestMessage.Properties"/> (netstandard2.0 has no Options). One per
    /// request of the client, not per message: when the client asks again for an answer it could not read it sends a
    /// new message with the same context, so the retry budget, the refused token and the failure count carry over.
    /// </summary>
    internal sealed class RequestContext
    {
        private const string Key = "FitbitPS.Http.RequestContext";

        public RequestContext(string what, bool chain)
        {
            What = what;
            Chain = chain;
        }

        /// <summary>"heart-rate list", "settings".</summary>
        public string What { get; }

        /// <summary>A step of a sequential page chain: it goes before prefetched chunks at the throttle.</summary>
        public bool Chain { get; }

        /// <summary>The access token a 401 refused: refreshed once; a second 401 means the sign-in is gone.</summary>
        public string RejectedToken { get; set; }

        /// <summary>Set by a handler that cured what the answer complained about (a refreshed token): the request is sent
        /// again at once, with no wait and no retry counted.</summary>
        public bool ResendAtOnce { get; set; }

        /// <summary>429/5xx answers retried so far.</summary>
        public int Retries { get; set; }

        /// <summary>This request's own failed connections, whatever other requests' answers do to the client's count.</summary>
        public int ConnectionFailures { get; set; }

        /// <summary>Running since this request's first failed connection (null until then).</summary>
        public Stopwatch SinceFirstFailure { get; set; }

        public HttpRequestMessage AttachTo(HttpRequestMessage request)
        {
            request.Properties[Key] = this;
            return request;
        }

        /// <summary>The request's context; a request sent without one gets one named after its path.</summary>
        public static RequestContext Of(HttpRequestMessage request)
        {
            if (request.Properties.TryGetValue(Key, out var value) && value is RequestContext context) return context;
            context = new RequestContext(request.RequestUri?.AbsolutePath, chain: false);
            context.AttachTo(request);
            return context;
        }
    }
}
