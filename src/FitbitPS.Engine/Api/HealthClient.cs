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
using Newtonsoft.Json.Linq;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Http;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Google Health API v4 client over an access-token source. Retries what Google says to retry
    /// (429 and 503; on reads also connection resets, 500/502/504 and HTML error pages) with
    /// exponential back-off plus jitter that honours Retry-After; reports each wait through
    /// <see cref="Waiting"/>; after a 401 refreshes the token once and retries once; maps 400/403 to
    /// typed exceptions; retries a malformed or truncated body once. Every await takes the
    /// cancellation token, back-off waits included. Requests pass through a <see cref="RequestThrottle"/>.
    /// </summary>
    public sealed class HealthClient : IDisposable
    {
        private static readonly JsonSerializer Serializer = DataPointReader.Serializer;
        private static readonly Random JitterSource = new Random();
        private readonly HttpClient _http;
        private readonly bool _ownsHttp;
        private readonly IAccessTokenSource _tokens;
        private readonly Uri _apiBase;
        private int _requestCount;
        private readonly ConnectionHealth _connection = new ConnectionHealth();
        private Exception _ended; // the first failure that ends the command (FitbitEngineException.EndsCommand)

        /// <summary>ErrorId of an answer that could not be read twice (malformed, wrong shape, cut short).</summary>
        public const string AnswerUnreadable = "FitbitApiAnswerUnreadable";

        /// <param name="tokens">Access tokens (the session).</param>
        /// <param name="throttle">Limiter shared by the clients of one signed-in profile (null: a new one of its own).</param>
        /// <param name="disposeHandler">Dispose the handler with the client.</param>
        /// <param name="healthApiBase">e.g. https://health.googleapis.com/ (GoogleEndpoints.HealthApiBase).</param>
        /// <param name="handler">HTTP handler (null: a new HttpClientHandler).</param>
        public HealthClient(IAccessTokenSource tokens, Uri healthApiBase, HttpMessageHandler handler = null, RequestThrottle throttle = null, bool disposeHandler = true)
        {
            _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
            if (healthApiBase == null) throw new ArgumentNullException(nameof(healthApiBase));
            _apiBase = healthApiBase.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? healthApiBase : new Uri(healthApiBase.AbsoluteUri + "/");
            _http = new HttpClient(handler ?? new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate }, disposeHandler)
            {
                // Each attempt has its own deadline over headers and body (RequestTimeout); HttpClient's covers headers only.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _ownsHttp = true;
            Throttle = throttle ?? new RequestThrottle();
        }

        public RequestThrottle Throttle { get; }

        /// <summary>Retries after 429/503/5xx answers before giving up (the first try not counted). Google answered:
        /// it is there, so these wait patiently (exponential back-off, Retry-After, the next quota minute).</summary>
        public int MaxRetries { get; set; } = 6;

        /// <summary>How long one attempt may go without progress: until the headers arrive, and then between any two
        /// reads of the body (a body that stalls is given up; a slow link that keeps delivering is not).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Failed connections in a row (refused, reset, no answer in time) after which the command stops with
        /// "Google is unreachable": counted across the client and, whatever other requests do, per request too.
        /// Waits between them: 0.5 s, 1 s, 2 s (a few seconds in all, plus the attempts' own time).</summary>
        public int UnreachableAfter { get => _connection.Limit; set => _connection.Limit = Math.Max(1, value); }
        /// <summary>First back-off; doubles per retry up to <see cref="MaxBackoff"/>.</summary>
        public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(32);
        /// <summary>Longest Retry-After we follow silently; longer ones are still honoured.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>"Today" comes from here, never from the machine clock directly.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Real time, for waits on Google's per-minute quota (tests give the person's clock a fixed
        /// "now"; the quota runs on real minutes whatever that says).</summary>
        public Func<DateTimeOffset> WallClock { get; set; } = () => DateTimeOffset.UtcNow;

        internal static TimeSpan UntilNextMinute(DateTimeOffset now)
            => TimeSpan.FromTicks(TimeSpan.TicksPerMinute - now.UtcTicks % TimeSpan.TicksPerMinute);

        /// <summary>Raised before every back-off or quota wait.</summary>
        public event Action<RequestWait> Waiting;

        /// <summary>Debug lines, one per HTTP exchange (method, path and query, status, time, size); never a
        /// token: the bearer header is not part of what is written, and page tokens are shortened.</summary>
        public EngineLogger Log { get; set; }

        /// <summary>Raised when a request completes (successfully or not); argument = total so far.</summary>
        public event Action<int> RequestCompleted;

        /// <summary>HTTP requests this client has sent (retries included).</summary>
        public int RequestCount => Volatile.Read(ref _requestCount);

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
        public UserSettingsCache SettingsCache { get; set; } = new UserSettingsCache();

        /// <summary>Settings (the time zone for physical-time roll-ups), from <see cref="SettingsCache"/> or asked once.</summary>
        public Task<Settings> GetCachedSettingsAsync(CancellationToken cancellationToken)
            => SettingsCache.GetAsync(GetSettingsAsync, cancellationToken);

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

        // ---------------------------------------------------------------- the request loop

        private async Task<T> SendAsync<T>(Func<HttpRequestMessage> createRequest, DataTypeInfo type, string filter, string what,
            Func<byte[], int, T> parse, CancellationToken cancellationToken, bool chain = false)
        {
            try { return await SendOnceAsync(createRequest, type, filter, what, parse, cancellationToken, chain).ConfigureAwait(false); }
            catch (FitbitPS.Engine.Core.FitbitEngineException e) when (e.EndsCommand)
            {
                Interlocked.CompareExchange(ref _ended, e, null);
                throw;
            }
        }

        /// <summary>After a failure no request can survive (access withdrawn, the sign-in gone, Google unreachable), the
        /// requests still queued in this client fail with it instead of each collecting its own.</summary>
        private void ThrowIfCommandEnded()
        {
            _connection.ThrowIfUnreachable();
            var ended = Volatile.Read(ref _ended);
            if (ended != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ended).Throw();
        }

        private async Task<T> SendOnceAsync<T>(Func<HttpRequestMessage> createRequest, DataTypeInfo type, string filter, string what,
            Func<byte[], int, T> parse, CancellationToken cancellationToken, bool chain)
        {
            bool malformedRetried = false;
            string rejected = null; // the access token a 401 refused (refreshed once, then the sign-in is gone)
            int retries = 0;
            string asked = null; // the request as a person reads it, for errors that are ours
            int connectionFailures = 0; // this request's own, whatever others' answers do to the client's count
            var sinceFirstFailure = new System.Diagnostics.Stopwatch();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Known before queueing: no quota wait or slot is spent on a request that cannot succeed.
                ThrowIfCommandEnded();
                TimeSpan? wait = null;
                string waitReason = null;
                int waitAttempt = 1;
                byte[] rented = null;
                try
                {
                    using (await Throttle.EnterAsync(d => Waiting?.Invoke(new RequestWait("per-minute quota", d, 0, what)), cancellationToken, chain).ConfigureAwait(false))
                    {
                        ThrowIfCommandEnded();
                        var token = await _tokens.GetAccessTokenAsync(rejected, cancellationToken).ConfigureAwait(false);
                        HttpResponseMessage response = null;
                        byte[] body = null; // rented from PageSpool.BufferPool; returned before the next attempt
                        int bodyLength = 0;
                        Exception transport = null;
                        bool truncated = false;
                        // A deadline on progress, headers and body alike: a body that stalls after its headers must not
                        // hold the read (and an export's folder lock) for as long as the server keeps it open. Each
                        // read of the body starts it again, so a slow link that keeps delivering is not cut off.
                        using (var deadline = new CancellationTokenSource(RequestTimeout))
                        using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
                        {
                            try
                            {
                                using (var request = createRequest())
                                {
                                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                                    asked = asked ?? RequestDescription.Of(request);
                                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                                    Interlocked.Increment(ref _requestCount);
                                    RequestTally.CountOne();
                                    var started = System.Diagnostics.Stopwatch.StartNew();
                                    try
                                    {
                                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                                        // A stalled body read does not watch the token on netstandard2.0: disposing the response aborts it.
                                        var current = response;
                                        using (attempt.Token.Register(() => current.Dispose()))
                                            (body, bodyLength) = await ReadBodyAsync(response, () => deadline.CancelAfter(RequestTimeout), attempt.Token).ConfigureAwait(false);
                                        rented = body;
                                        if (Log != null)
                                            Log.Debug($"{RequestDescription.Of(request)} -> {(int)response.StatusCode} {response.ReasonPhrase} in {started.ElapsedMilliseconds} ms, {bodyLength:N0} bytes.");
                                    }
                                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                                    {
                                        Log?.Debug($"{RequestDescription.Of(request)} -> failed after {started.ElapsedMilliseconds} ms: " +
                                                   (deadline.IsCancellationRequested ? $"nothing received for {RequestTimeout.TotalSeconds:0.#} s" : $"{e.GetType().Name}: {e.Message}"));
                                        throw;
                                    }
                                    cancellationToken.ThrowIfCancellationRequested();
                                }
                            }
                            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { response?.Dispose(); throw; }
                            catch (Exception e) when (cancellationToken.IsCancellationRequested)
                            {
                                // e.g. ObjectDisposedException from the aborted body read
                                response?.Dispose();
                                throw new OperationCanceledException("The read was cancelled.", e, cancellationToken);
                            }
                            catch (Exception e) when (e is HttpRequestException || e is IOException || e is OperationCanceledException || e is WebException
                                                      || (deadline.IsCancellationRequested && e is ObjectDisposedException))
                            {
                                // Connection refused or reset, truncated body (Content-Length not met), no answer in time.
                                transport = deadline.IsCancellationRequested
                                    ? new TimeoutException($"Nothing received for {RequestTimeout.TotalSeconds:0.#} s.", e)
                                    : e;
                                // Headers said 2xx but the body broke off or stalled: a truncated answer from a reachable server.
                                truncated = response != null && (int)response.StatusCode >= 200 && (int)response.StatusCode < 300;
                                response?.Dispose();
                                response = null;
                            }
                            finally
                            {
                                RequestCompleted?.Invoke(RequestCount);
                            }
                        }

                        if (transport != null && truncated)
                        {
                            _connection.Answered();
                            if (malformedRetried)
                                throw new HealthApiException($"Google Health cut the answer for {what} short twice: {transport.Message} Nothing of it was kept.", 200, inner: transport, errorId: AnswerUnreadable);
                            malformedRetried = true;
                            wait = TimeSpan.Zero;
                            waitReason = "truncated body";
                        }
                        else if (transport != null)
                        {
                            // Several failed connections in a row (this request's and others'): Google cannot be reached.
                            // Fail the command now, once, rather than retrying every remaining request for minutes.
                            var streak = _connection.Failed(transport, _apiBase, RequestTimeout);
                            // However other requests fare (their answers start the client's count again), one request
                            // gives up after as many failed attempts of its own.
                            sinceFirstFailure.Start();
                            if (++connectionFailures >= UnreachableAfter)
                                throw new GoogleUnreachableException(_apiBase, connectionFailures, sinceFirstFailure.Elapsed, transport);
                            wait = ConnectionBackoff(streak);
                            waitAttempt = streak;
                            waitReason = "connection failed (" + transport.GetType().Name + ": " + transport.Message + ")";
                        }
                        else
                        {
                            _connection.Answered();
                            using (response)
                            {
                                var status = (int)response.StatusCode;
                                if (status >= 200 && status < 300)
                                {
                                    try { return parse(body, bodyLength); }
                                    catch (JsonException e)
                                    {
                                        if (malformedRetried)
                                            throw new HealthApiException($"Google Health sent a malformed answer for {what} twice (HTTP {status}, {bodyLength} bytes): {e.Message} Nothing of it was kept.", status, inner: e, errorId: AnswerUnreadable);
                                        malformedRetried = true;
                                        wait = TimeSpan.Zero;
                                        waitReason = "malformed or wrong-shape JSON";
                                        Log?.Debug($"{what}: the answer could not be read ({e.Message}); asking again.");
                                    }
                                }
                                else
                                {
                                    var errorBody = Copy(body, bodyLength);
                                    var error = GoogleErrors.ParseError(errorBody);
                                    if (status == 401)
                                    {
                                        if (rejected != null) throw new AuthenticationFailedException(error?.Message ?? "HTTP 401");
                                        rejected = token;
                                        // Refresh now, in this slot: the requests queued behind this one then go out with the
                                        // new token (or fail at once if the grant is gone) instead of each collecting its own 401.
                                        await _tokens.GetAccessTokenAsync(rejected, cancellationToken).ConfigureAwait(false);
                                        continue;
                                    }
                                    bool html = error == null;
                                    bool transient = status == 429 || status == 503 || status == 500 || status == 502 || status == 504 || (html && status >= 500);
                                    if (!transient) throw GoogleErrors.MapError(status, error, errorBody, type, filter, what, asked);
                                    if (retries >= MaxRetries)
                                        throw new HealthApiException($"Google Health still answered {status} {error?.StatusName} for {what} after {retries + 1} attempts: {error?.Message ?? "(no JSON body)"}",
                                            status, error?.StatusName, GoogleErrors.ReasonOf(error));
                                    var retryAfter = RetryAfter(response);
                                    waitReason = status + " " + (error?.StatusName ?? (html ? "HTML error page" : ""));
                                    if (retryAfter.HasValue) wait = retryAfter.Value + TimeSpan.FromMilliseconds(Jitter(250));
                                    else if (status == 429)
                                    {
                                        // Google's quota 429 names no time (google-health-live-evidence.md §1.6): the per-minute
                                        // quota lifts at the next minute, so wait for it rather than hammer the API with retries.
                                        wait = UntilNextMinute(WallClock()) + TimeSpan.FromMilliseconds(1000 + Jitter(2000));
                                        waitReason += " (per-minute quota; waiting for the next minute)";
                                    }
                                    else wait = Backoff(retries);
                                    retries++;
                                    waitAttempt = retries;
                                }
                            }
                        }
                    }
                }
                finally
                {
                    // parse has copied what it keeps (the spool, a typed response): the buffer goes back.
                    if (rented != null) PageSpool.BufferPool.Return(rented);
                }
                if (wait.Value > TimeSpan.Zero)
                {
                    Waiting?.Invoke(new RequestWait(waitReason, wait.Value, waitAttempt, what));
                    await Task.Delay(wait.Value, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Reads the whole body into a buffer rented from PageSpool.BufferPool (the caller
        /// returns it). Why pooled: a raw heart-rate page is 3.5 MB, and a fresh array per page lands on
        /// the large-object heap, which only a full collection reclaims. Throws IOException when the body
        /// ends before its Content-Length (a truncated answer, retried by the caller).</summary>
        private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpResponseMessage response, Action progress, CancellationToken cancellationToken)
        {
            var pool = PageSpool.BufferPool;
            var declared = response.Content.Headers.ContentLength;
            var buffer = pool.Rent(declared.HasValue && declared.Value > 0 && declared.Value < 64 * 1024 * 1024 ? (int)declared.Value : 64 * 1024);
            int total = 0;
            try
            {
                using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (total == buffer.Length)
                        {
                            var larger = pool.Rent(checked(buffer.Length * 2));
                            Buffer.BlockCopy(buffer, 0, larger, 0, total);
                            pool.Return(buffer);
                            buffer = larger;
                        }
                        int n = await stream.ReadAsync(buffer, total, buffer.Length - total, cancellationToken).ConfigureAwait(false);
                        if (n == 0) break;
                        total += n;
                        progress();
                    }
                }
                if (declared.HasValue && total != declared.Value)
                    throw new IOException($"The response ended after {total} of {declared.Value} bytes.");
                return (buffer, total);
            }
            catch
            {
                pool.Return(buffer);
                throw;
            }
        }


        private static int Jitter(int maxMilliseconds)
        {
            lock (JitterSource) return JitterSource.Next(0, maxMilliseconds);
        }

        /// <summary>After the n-th failed connection in a row: 0.5 s, 1 s, 2 s… (with equal jitter).</summary>
        private static TimeSpan ConnectionBackoff(int streak)
        {
            var ceiling = 500 * Math.Pow(2, Math.Max(0, streak - 1));
            return TimeSpan.FromMilliseconds(ceiling / 2 + Jitter((int)(ceiling / 2)));
        }

        /// <summary>Exponential back-off with "equal jitter": half fixed, half random.</summary>
        private TimeSpan Backoff(int retry)
        {
            var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, InitialBackoff.TotalMilliseconds * Math.Pow(2, retry));
            double random;
            lock (JitterSource) random = JitterSource.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling / 2 + random * ceiling / 2);
        }

        private TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            TimeSpan? value = header.Delta;
            if (!value.HasValue && header.Date.HasValue) value = header.Date.Value - DateTimeOffset.UtcNow;
            if (!value.HasValue) return null;
            if (value.Value < TimeSpan.Zero) return TimeSpan.Zero;
            return value.Value > MaxRetryAfter ? MaxRetryAfter : value.Value;
        }

        public void Dispose()
        {
            if (_ownsHttp) _http.Dispose();
        }
    }
}

namespace FitbitPS.Engine.Api
{
    public static class HealthClientFactory
    {
        /// <summary>A client on a signed-in session: its endpoints, its HTTP handler choice, its shared throttle.</summary>
        public static HealthClient Create(FitbitPS.Engine.Auth.FitbitSession session)
        {
            var client = new HealthClient(session, session.Endpoints.HealthApiBase, session.HttpHandlerFactory?.Invoke());
            session.ConfigureClient?.Invoke(client);
            return client;
        }
    }
}
