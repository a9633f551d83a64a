using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Auth;
using Newtonsoft.Json;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Http;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Google Health API v4 client over an access-token source: the endpoints (list pages, roll-ups, the user's
    /// identity, profile and settings), what their answers must look like, and the one more ask of an answer that
    /// could not be read (cut short, malformed, wrong shape) or that came back empty. The HTTP concerns (token and
    /// 401 refresh, throttle, retries and back-off, deadline and pooled body, Google's error JSON) are the handlers of
    /// <see cref="HttpPipeline"/>; each wait is reported through <see cref="Waiting"/>.
    /// </summary>
    internal sealed class HealthClient : IDisposable
    {
        private static readonly JsonSerializer Serializer = DataPointReader.Serializer;
        private readonly HttpPipeline _pipeline;
        private readonly Uri _apiBase;

        /// <summary>ErrorId of an answer that could not be read twice (malformed, wrong shape, cut short).</summary>
        public const string AnswerUnreadable = "FitbitApiAnswerUnreadable";

        /// <param name="tokens">Access tokens (the session).</param>
        /// <param name="throttle">Limiter shared by the clients of one signed-in profile (null: a new one of its own).</param>
        /// <param name="disposeHandler">Dispose the handler with the client.</param>
        /// <param name="healthApiBase">e.g. https://health.googleapis.com/ (GoogleEndpoints.HealthApiBase).</param>
        /// <param name="handler">HTTP handler (null: a new HttpClientHandler).</param>
        public HealthClient(IAccessTokenSource tokens, Uri healthApiBase, HttpMessageHandler handler = null, RequestThrottle throttle = null, bool disposeHandler = true)
        {
            if (tokens == null) throw new ArgumentNullException(nameof(tokens));
            if (healthApiBase == null) throw new ArgumentNullException(nameof(healthApiBase));
            _apiBase = healthApiBase.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? healthApiBase : new Uri(healthApiBase.AbsoluteUri + "/");
            Throttle = throttle ?? new RequestThrottle();
            _pipeline = new HttpPipeline(tokens, _apiBase,
                handler ?? DefaultHandler(), disposeHandler,
                Throttle, wait => Waiting?.Invoke(wait), count => RequestCompleted?.Invoke(count));
        }

        public RequestThrottle Throttle { get; }

        /// <summary>The network handler when none is given: Google answers gzip when asked.</summary>
        internal static HttpMessageHandler DefaultHandler() =>
            new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };

        /// <summary>Retries after 429/503/5xx answers before giving up (the first try not counted). Google answered:
        /// it is there, so these wait patiently (exponential back-off, Retry-After, the next quota minute).</summary>
        public int MaxRetries { get => _pipeline.Retry.MaxRetries; set => _pipeline.Retry.MaxRetries = value; }

        /// <summary>How long one attempt may go without progress: until the headers arrive, and then between any two
        /// reads of the body (a body that stalls is given up; a slow link that keeps delivering is not).</summary>
        public TimeSpan RequestTimeout { get => _pipeline.Body.Deadline; set => _pipeline.Body.Deadline = value; }

        /// <summary>Failed connections in a row (refused, reset, no answer in time) after which the command stops with
        /// "Google is unreachable": counted across the client and, whatever other requests do, per request too.
        /// Waits between them: 0.5 s, 1 s, 2 s (a few seconds in all, plus the attempts' own time).</summary>
        public int UnreachableAfter { get => _pipeline.Connection.Limit; set => _pipeline.Connection.Limit = Math.Max(1, value); }
        /// <summary>First back-off; doubles per retry up to <see cref="MaxBackoff"/>.</summary>
        public TimeSpan InitialBackoff { get => _pipeline.Retry.InitialBackoff; set => _pipeline.Retry.InitialBackoff = value; }
        public TimeSpan MaxBackoff { get => _pipeline.Retry.MaxBackoff; set => _pipeline.Retry.MaxBackoff = value; }
        /// <summary>Longest Retry-After we follow silently; longer ones are still honoured.</summary>
        public TimeSpan MaxRetryAfter { get => _pipeline.Retry.MaxRetryAfter; set => _pipeline.Retry.MaxRetryAfter = value; }

        /// <summary>"Today" comes from here, never from the machine clock directly.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Real time, for waits on Google's per-minute quota (tests give the person's clock a fixed
        /// "now"; the quota runs on real minutes whatever that says).</summary>
        public Func<DateTimeOffset> WallClock { get => _pipeline.Retry.WallClock; set => _pipeline.Retry.WallClock = value; }

        /// <summary>Raised before every back-off or quota wait.</summary>
        public event Action<RequestWait> Waiting;

        /// <summary>Debug lines, one per HTTP exchange (method, path and query, status, time, size); never a
        /// token: the bearer header is not part of what is written, and page tokens are shortened.</summary>
        public EngineLogger Log { get => _pipeline.Traffic.Log; set => _pipeline.Traffic.Log = value; }

        /// <summary>Raised when a request completes (successfully or not); argument = total so far.</summary>
        public event Action<int> RequestCompleted;

        /// <summary>HTTP requests this client has sent (retries included).</summary>
        public int RequestCount => _pipeline.Traffic.Count;

        // ---------------------------------------------------------------- data points

        /// <summary>One page of dataPoints.list (or :reconcile).</summary>
        public Task<RawPage> ListPageAsync(DataTypeInfo type, string filter, int pageSize, string pageToken, bool reconcile, CancellationToken cancellationToken)
        {
            var path = ListPath(type, filter, pageSize, pageToken, reconcile);
            var what = $"{type.Id} {(reconcile ? "reconcile" : "list")}";
            return ConfirmEmptyAsync(() => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_apiBase, path)), type, filter, what,
                    (body, length) => { var envelope = EnvelopeOf(type, body, length); return (Page: new RawPage(Copy(body, length), envelope.NextPageToken), envelope.IsEmpty); },
                    cancellationToken, chain: true),
                r => r.IsEmpty, what, cancellationToken, r => r.Page);
        }

        /// <summary>One page of dataPoints.list (or :reconcile) appended to <paramref name="spool"/> once it
        /// is whole and well-formed (a truncated, malformed or wrong-shape body is retried, never spooled); returns
        /// the next page's token. Why: the body is read into a pooled buffer and copied into the spool, so a
        /// long read allocates no 3.5 MB array per page.</summary>
        public Task<string> ListPageIntoAsync(DataTypeInfo type, string filter, int pageSize, string pageToken, bool reconcile, PageSpool spool, CancellationToken cancellationToken)
        {
            if (spool == null) throw new ArgumentNullException(nameof(spool));
            var path = ListPath(type, filter, pageSize, pageToken, reconcile);
            var what = $"{type.Id} {(reconcile ? "reconcile" : "list")}";
            bool confirming = false;
            return ConfirmEmptyAsync(() =>
                {
                    var final = confirming;
                    confirming = true;
                    return SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_apiBase, path)), type, filter, what,
                        (body, length) =>
                        {
                            var envelope = EnvelopeOf(type, body, length);
                            // A first empty answer is asked again before it counts; only the answer that counts is spooled.
                            if (!envelope.IsEmpty || final) spool.Add(body, length);
                            return envelope;
                        }, cancellationToken, chain: true);
                },
                e => e.IsEmpty, what, cancellationToken, e => e.NextPageToken);
        }

        /// <summary>
        /// Google answers "nothing" as {} — and so can a broken proxy, or a page chain cut short. An empty answer
        /// therefore counts only when the same request, asked once more, is empty too: one extra request per empty
        /// result, and a transient {} never becomes days marked complete with nothing in them.
        /// </summary>
        private async Task<TResult> ConfirmEmptyAsync<TAnswer, TResult>(Func<Task<TAnswer>> send, Func<TAnswer, bool> isEmpty, string what,
            CancellationToken cancellationToken, Func<TAnswer, TResult> result)
        {
            var answer = await send().ConfigureAwait(false);
            if (!isEmpty(answer)) return result(answer);
            Log?.Debug($"{what}: Google answered nothing; asking once more before taking that as final.");
            cancellationToken.ThrowIfCancellationRequested();
            return result(await send().ConfigureAwait(false));
        }

        private static string ListPath(DataTypeInfo type, string filter, int pageSize, string pageToken, bool reconcile)
        {
            var query = new StringBuilder();
            if (!string.IsNullOrEmpty(filter)) query.Append("filter=").Append(Uri.EscapeDataString(filter)).Append('&');
            query.Append("pageSize=").Append(pageSize.ToString(CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(pageToken)) query.Append("&pageToken=").Append(Uri.EscapeDataString(pageToken));
            return $"v4/users/me/dataTypes/{type.Id}/dataPoints{(reconcile ? ":reconcile" : "")}?{query}";
        }

        private static byte[] Copy(byte[] buffer, int length)
        {
            var copy = new byte[length];
            Buffer.BlockCopy(buffer, 0, copy, 0, length);
            return copy;
        }

        [ThreadStatic] private static List<Records.HeartRateSample> _scratch;

        /// <summary>Checks a page is whole, well-formed JSON of the right shape (else it is retried) and finds its
        /// next-page token and point count. Raw heart-rate pages go through the byte scanner (4× cheaper than
        /// tokenizing with Newtonsoft).</summary>
        internal static PageEnvelope EnvelopeOf(DataTypeInfo type, byte[] body) => EnvelopeOf(type, body, body.Length);

        internal static PageEnvelope EnvelopeOf(DataTypeInfo type, byte[] body, int length)
        {
            if (type.Id == "heart-rate")
            {
                var scratch = _scratch ?? (_scratch = new List<Records.HeartRateSample>(10000));
                try
                {
                    if (HeartRatePageScanner.TryParse(body, length, scratch, out var next)) return new PageEnvelope(next, scratch.Count);
                }
                finally { scratch.Clear(); }
            }
            using (var ms = new MemoryStream(body, 0, length, writable: false))
                return DataPointReader.ReadEnvelope(ms);
        }

        /// <summary>One page of dataPoints:rollUp (physical windows).</summary>
        public Task<RollUpDataPointsResponse> RollUpAsync(DataTypeInfo type, RollUpDataPointsRequest request, CancellationToken cancellationToken)
            => PostRollUpAsync(type, $"v4/users/me/dataTypes/{type.Id}/dataPoints:rollUp", request, $"{type.Id} rollUp", cancellationToken, chain: !string.IsNullOrEmpty(request.PageToken));

        /// <summary>One page of dataPoints:dailyRollUp (civil days).</summary>
        public Task<RollUpDataPointsResponse> DailyRollUpAsync(DataTypeInfo type, DailyRollUpDataPointsRequest request, CancellationToken cancellationToken)
            => PostRollUpAsync(type, $"v4/users/me/dataTypes/{type.Id}/dataPoints:dailyRollUp", request, $"{type.Id} dailyRollUp", cancellationToken, chain: !string.IsNullOrEmpty(request.PageToken));

        private Task<RollUpDataPointsResponse> PostRollUpAsync(DataTypeInfo type, string path, object body, string what, CancellationToken cancellationToken, bool chain)
        {
            var json = JsonConvert.SerializeObject(body, Formatting.None);
            return ConfirmEmptyAsync(() => SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(_apiBase, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
                    type, null, what, (b, n) => CheckShape(Deserialize<RollUpDataPointsResponse>(b, n)), cancellationToken, chain),
                r => r.RollupDataPoints.Count == 0 && string.IsNullOrEmpty(r.NextPageToken), what, cancellationToken, r => r);
        }

        /// <summary>A roll-up answer whose list is not a list of objects is broken (retried), not "no data".</summary>
        private static RollUpDataPointsResponse CheckShape(RollUpDataPointsResponse response)
        {
            if (response.RollupDataPoints == null || response.RollupDataPoints.Any(p => p == null))
                throw new JsonSerializationException("The answer's rollupDataPoints is not a list of objects.");
            return response;
        }

        // ---------------------------------------------------------------- users

        /// <summary>Who signed in. An answer without healthUserId ({} from a proxy, another shape) is asked once more.</summary>
        public Task<Identity> GetIdentityAsync(CancellationToken cancellationToken)
            => ConfirmEmptyAsync(() => GetUserAsync<Identity>("identity", null, cancellationToken), i => string.IsNullOrWhiteSpace(i.HealthUserId),
                "identity", cancellationToken, i => i);

        public Task<Profile> GetProfileAsync(CancellationToken cancellationToken)
            => GetUserAsync<Profile>("profile", HealthScope.Profile, cancellationToken);

        public Task<Settings> GetSettingsAsync(CancellationToken cancellationToken)
            => GetUserAsync<Settings>("settings", HealthScope.Settings, cancellationToken);

        /// <summary>The person's settings, asked once per signed-in profile: the connection gives every client of the
        /// profile the same cache, so a session's second intraday read costs no settings request.</summary>
        internal KeptAnswer<Settings> SettingsCache { get; set; } = new KeptAnswer<Settings>();

        /// <summary>Settings (the time zone for physical-time roll-ups), from <see cref="SettingsCache"/> or asked once.
        /// While an export keeps the API answers and its store has no settings answer yet, they are asked fresh once (a
        /// re-parse of physical-time reads needs the time zone they used), and kept for the next reads.</summary>
        public async Task<Settings> GetCachedSettingsAsync(CancellationToken cancellationToken)
        {
            var tap = Store.RawTap.Current;
            if (tap != null && tap.NeedsSettings)
            {
                var fresh = await GetSettingsAsync(cancellationToken).ConfigureAwait(false);
                return fresh;
            }
            return await SettingsCache.GetAsync(GetSettingsAsync, cancellationToken).ConfigureAwait(false);
        }

        private Task<T> GetUserAsync<T>(string what, HealthScope? scope, CancellationToken cancellationToken)
            => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(_apiBase, "v4/users/me/" + what)),
                scope.HasValue ? new DataTypeInfo(what, what, DataTypeKind.Other, DataTypeMethods.None, 0, 0, scope.Value) : null,
                null, what, (b, n) => Deserialize<T>(b, n), cancellationToken);

        private static T Deserialize<T>(byte[] body, int length)
        {
            using (var ms = new MemoryStream(body, 0, length, writable: false))
            using (var text = new StreamReader(ms, Encoding.UTF8))
            using (var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None })
            {
                var value = Serializer.Deserialize<T>(reader);
                if (value == null) throw new JsonReaderException("The response body is empty.");
                if (reader.Read()) throw new JsonReaderException("Unexpected content after the end of the response.");
                return value;
            }
        }

        // ---------------------------------------------------------------- the request

        private async Task<T> SendAsync<T>(Func<HttpRequestMessage> createRequest, DataTypeInfo type, string filter, string what,
            Func<byte[], int, T> parse, CancellationToken cancellationToken, bool chain = false)
        {
            try { return await ReadAnswerAsync(createRequest, type, filter, what, parse, cancellationToken, chain).ConfigureAwait(false); }
            catch (FitbitEngineException e) when (e.EndsCommand)
            {
                // Here, not in a handler: a refusal becomes its exception only after the answer has left the pipeline.
                _pipeline.Failure.Record(e);
                throw;
            }
        }

        /// <summary>Sends the request through the pipeline and hands the whole body to <paramref name="parse"/>, in the
        /// pooled buffer and still inside the throttle's slot. Google's refusals become their typed exceptions; an answer
        /// that cannot be read (cut short, malformed, wrong shape) is asked once more, then fails the request.</summary>
        private async Task<T> ReadAnswerAsync<T>(Func<HttpRequestMessage> createRequest, DataTypeInfo type, string filter, string what,
            Func<byte[], int, T> parse, CancellationToken cancellationToken, bool chain)
        {
            var context = new RequestContext(what, chain); // one per request: retries, a refused token and failures carry over
            bool askedAgain = false;
            while (true)
            {
                using (var request = context.AttachTo(createRequest()))
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    HttpResponseMessage response;
                    try { response = await _pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false); }
                    catch (AttemptFailedException cut) when (cut.BodyCutShort)
                    {
                        if (askedAgain)
                            throw new HealthApiException($"Google Health cut the answer for {what} short twice: {cut.Transport.Message} Nothing of it was kept.", 200, inner: cut.Transport, errorId: AnswerUnreadable);
                        askedAgain = true;
                        continue;
                    }
                    using (response)
                    {
                        var body = (PooledContent)response.Content;
                        var status = (int)response.StatusCode;
                        if (status < 200 || status >= 300)
                        {
                            var errorBody = body.ToArray();
                            throw GoogleErrors.MapError(status, GoogleErrors.ParseError(errorBody), errorBody, type, filter, what, RequestDescription.Of(request));
                        }
                        // parse copies what it keeps (the spool, a typed response): the buffer goes back with the response.
                        try { return parse(body.Buffer, body.Length); }
                        catch (JsonException e)
                        {
                            if (askedAgain)
                                throw new HealthApiException($"Google Health sent a malformed answer for {what} twice (HTTP {status}, {body.Length} bytes): {e.Message} Nothing of it was kept.", status, inner: e, errorId: AnswerUnreadable);
                            askedAgain = true;
                            Log?.Debug($"{what}: the answer could not be read ({e.Message}); asking again.");
                        }
                    }
                }
            }
        }

        public void Dispose() => _pipeline.Dispose();
    }
}
