using System;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// The API answers records were parsed from, kept per profile by request (method, path and query, body), gzip.
    /// The latest answer to a request replaces the one before: a re-parse reads what a fresh sync would get now.
    /// </summary>
    internal sealed class RawAnswers
    {
        private static readonly Regex s_dataType = new Regex(@"/dataTypes/([^/?]+)", RegexOptions.CultureInvariant);
        private readonly FitbitStore _store;
        private readonly string _profile;
        private readonly string _basePath;
        private long _bytesIn, _bytesStored, _answers;
        private readonly object _queueGate = new object();
        private Task _tail = Task.CompletedTask;   // the writes queued so far, one after another
        private Exception _failed;
        private int _keptSettings;                 // 1 once this run kept a settings answer

        /// <param name="apiBase">The API's base address: keys are paths below it, so a store answers whichever host
        /// (Google, the emulator on any port) the answers came from.</param>
        public RawAnswers(FitbitStore store, string profile, Uri apiBase)
        {
            _store = store;
            _profile = profile;
            _basePath = apiBase?.AbsolutePath ?? "/";
        }

        public long Answers => Interlocked.Read(ref _answers);
        public long BytesIn => Interlocked.Read(ref _bytesIn);
        public long BytesStored => Interlocked.Read(ref _bytesStored);

        /// <summary>The request's key: method, path below the API base with its query, and the body of a POST.</summary>
        public string KeyOf(HttpRequestMessage request, string body, out string path)
        {
            var uri = request.RequestUri;
            path = uri.AbsolutePath.StartsWith(_basePath, StringComparison.Ordinal) ? uri.AbsolutePath.Substring(_basePath.Length) : uri.AbsolutePath.TrimStart('/');
            path += uri.Query;
            return request.Method.Method + " " + path + (string.IsNullOrEmpty(body) ? "" : "\n" + body);
        }

        /// <summary>True until this run has kept a settings answer (see HealthClient.GetCachedSettingsAsync): each run's reads are
        /// logged with the time zone they used, so a person who moved is re-parsed with the zone of each read.</summary>
        public bool NeedsSettings => Volatile.Read(ref _keptSettings) == 0;

        /// <summary>Decompresses a kept answer.</summary>
        public static byte[] Unpack(byte[] packed)
        {
            using (var gzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress))
            using (var plain = new MemoryStream())
            {
                gzip.CopyTo(plain);
                return plain.ToArray();
            }
        }

        /// <summary>Queues one answer to be kept (called for every 2xx answer while an export runs): compressing and writing
        /// happen on a writer of their own, outside the request's throttle slot and the pages' path.</summary>
        public void Keep(HttpRequestMessage request, string body, byte[] buffer, int length)
        {
            string key = KeyOf(request, body, out var path);
            var copy = new byte[length];
            Buffer.BlockCopy(buffer, 0, copy, 0, length); // the caller's buffer goes back to the pool
            if (path == Export.Exporter.RawSettingsPath) Volatile.Write(ref _keptSettings, 1);
            lock (_queueGate)
                _tail = _tail.ContinueWith(_ =>
                {
                    if (Volatile.Read(ref _failed) != null) return;
                    try { Write(request.Method.Method, key, path, body, copy, copy.Length); }
                    catch (Exception e) { Interlocked.CompareExchange(ref _failed, e, null); }
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        /// <summary>Waits until every answer queued so far is in the store (a chunk's rows are committed only after the
        /// answers they came from, so a re-parse never misses one); a write that failed fails here.</summary>
        public async Task FlushAsync()
        {
            Task tail;
            lock (_queueGate) tail = _tail;
            await tail.ConfigureAwait(false);
            var failed = Volatile.Read(ref _failed);
            if (failed != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        }

        private void Write(string method, string key, string path, string body, byte[] buffer, int length)
        {
            var match = s_dataType.Match(path);
            byte[] packed;
            using (var memory = new MemoryStream(length / 6 + 64))
            {
                using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(buffer, 0, length);
                packed = memory.ToArray();
            }
            _store.Run(() => FitbitStore.Execute(_store.Connection, null,
                "INSERT INTO raw_answers (profile, request_key, method, path, body, data_type, fetched_at, size, content) VALUES ($p, $k, $m, $path, $b, $t, $at, $n, $c) " +
                "ON CONFLICT (profile, request_key) DO UPDATE SET fetched_at = $at, size = $n, content = $c;",
                ("$p", _profile), ("$k", key), ("$m", method), ("$path", path), ("$b", string.IsNullOrEmpty(body) ? null : body),
                ("$t", match.Success ? Uri.UnescapeDataString(match.Groups[1].Value) : null), ("$at", FitbitStore.Now()), ("$n", length), ("$c", packed)),
                "keep an answer");
            Interlocked.Increment(ref _answers);
            Interlocked.Add(ref _bytesIn, length);
            Interlocked.Add(ref _bytesStored, packed.Length);
        }

        /// <summary>The kept answer to a request, or null.</summary>
        public byte[] Find(HttpRequestMessage request, string body) => Find(_store, _profile, KeyOf(request, body, out _));

        /// <summary>The kept answer of <paramref name="profile"/> under <paramref name="key"/> (method, path and query), or null.</summary>
        public static byte[] Find(FitbitStore store, string profile, string key)
        {
            var packed = store.Run(() => FitbitStore.Scalar(store.Connection, "SELECT content FROM raw_answers WHERE profile = $p AND request_key = $k;", null,
                ("$p", profile), ("$k", key)) as byte[], "read an answer");
            return packed == null ? null : Unpack(packed);
        }
    }

    /// <summary>
    /// Where the HTTP pipeline hands 2xx answers to be kept (<see cref="Http.RawTapHandler"/>): set for the async flow of an
    /// export, so only the export's own requests are kept, whichever threads its kinds run on.
    /// </summary>
    internal static class RawTap
    {
        private static readonly AsyncLocal<RawAnswers> s_current = new AsyncLocal<RawAnswers>();

        public static RawAnswers Current => s_current.Value;

        public static IDisposable Use(RawAnswers answers)
        {
            var previous = s_current.Value;
            s_current.Value = answers;
            return new Restore(previous);
        }

        private sealed class Restore : IDisposable
        {
            private readonly RawAnswers _previous;
            public Restore(RawAnswers previous) { _previous = previous; }
            public void Dispose() => s_current.Value = _previous;
        }
    }
}
