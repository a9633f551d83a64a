using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;

namespace FitbitPS.Engine.Reading
{
    /// <summary>
    /// The shared reads of one reader (see <see cref="FitbitReader.ShareReads"/>). While a scope is open, a read
    /// that repeats the previous read of the same data type with the same filter (list) or days (daily roll-up
    /// chunk) is answered from that read instead of the API. One answer is kept per data type (the latest), list
    /// pages on disk as <see cref="PageSpool"/> keeps them, so memory stays flat. Failed reads are not kept.
    /// </summary>
    internal sealed class SharedReads
    {
        private Scope _open;

        /// <summary>Opens a scope; a nested one shares the outer one (disposing it does nothing).</summary>
        public IDisposable Open()
        {
            if (_open != null) return new Scope(null);
            var scope = new Scope(this);
            _open = scope;
            return scope;
        }

        /// <summary>The list read of <paramref name="type"/> over <paramref name="range"/>: kept, joined while under
        /// way, or <paramref name="fetch"/>ed (and kept when it succeeds). Without an open scope, just fetched.</summary>
        public Task<ListResult> List(DataTypeInfo type, CivilRange range, bool reconcile, Func<Task<ListResult>> fetch)
        {
            var shared = _open;
            if (shared == null) return fetch();
            string key = range + "|" + reconcile;
            if (shared.TryGetList(type.Id, key, out var kept)) return Task.FromResult(kept);
            // Kinds of one export run at the same time (Sleep and SleepStage read the same list):
            // the second asks to join the fetch already under way instead of sending its own.
            if (!shared.TryStartList(type.Id, key, out var running)) return JoinAsync(running);
            return FetchAndKeepAsync();

            async Task<ListResult> FetchAndKeepAsync()
            {
                ListResult result = null;
                try
                {
                    result = await fetch().ConfigureAwait(false);
                    if (result.Failure == null) shared.KeepList(type.Id, key, result);
                    return result;
                }
                finally { shared.EndList(type.Id, key); }
            }

            async Task<ListResult> JoinAsync(Task other)
            {
                try { await other.ConfigureAwait(false); } catch { /* the owner reports its own failure */ }
                // Kept (a reference of our own) when it succeeded; otherwise read on our own.
                if (shared.TryGetList(type.Id, key, out var joined)) return joined;
                return await fetch().ConfigureAwait(false);
            }
        }

        /// <summary>The daily roll-up chunk of <paramref name="type"/>: kept, or <paramref name="fetch"/>ed and kept.</summary>
        public async Task<List<RollupDataPoint>> DailyChunkAsync(DataTypeInfo type, CivilRange chunk, Func<Task<List<RollupDataPoint>>> fetch)
        {
            var shared = _open;
            if (shared == null) return await fetch().ConfigureAwait(false);
            string key = chunk.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".."
                         + chunk.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (shared.TryGetDaily(type.Id, key, out var kept)) return kept;
            var points = await fetch().ConfigureAwait(false);
            shared.KeepDaily(type.Id, key, points);
            return points;
        }

        /// <summary>What an open scope keeps; disposing the outer scope releases it.</summary>
        private sealed class Scope : IDisposable
        {
            private readonly SharedReads _owner;
            private readonly object _gate = new object();
            private readonly Dictionary<string, KeyValuePair<string, ListResult>> _lists = new Dictionary<string, KeyValuePair<string, ListResult>>(StringComparer.Ordinal);
            private readonly Dictionary<string, KeyValuePair<string, List<RollupDataPoint>>> _daily = new Dictionary<string, KeyValuePair<string, List<RollupDataPoint>>>(StringComparer.Ordinal);
            private bool _disposed;

            public Scope(SharedReads owner) { _owner = owner; }

            public bool TryGetList(string typeId, string key, out ListResult result)
            {
                lock (_gate)
                {
                    if (!_disposed && _lists.TryGetValue(typeId, out var kept) && kept.Key == key) { result = kept.Value.AddReference(); return true; }
                }
                result = null;
                return false;
            }

            private readonly Dictionary<string, TaskCompletionSource<bool>> _running = new Dictionary<string, TaskCompletionSource<bool>>(StringComparer.Ordinal);

            /// <summary>True: the caller fetches (and must call <see cref="EndList"/>). False: the same
            /// read is under way; <paramref name="running"/> completes when it ends.</summary>
            public bool TryStartList(string typeId, string key, out Task running)
            {
                lock (_gate)
                {
                    if (_running.TryGetValue(typeId + "|" + key, out var other)) { running = other.Task; return false; }
                    _running[typeId + "|" + key] = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    running = null;
                    return true;
                }
            }

            public void EndList(string typeId, string key)
            {
                TaskCompletionSource<bool> done;
                lock (_gate)
                {
                    if (!_running.TryGetValue(typeId + "|" + key, out done)) return;
                    _running.Remove(typeId + "|" + key);
                }
                done.TrySetResult(true);
            }

            public void KeepList(string typeId, string key, ListResult result)
            {
                lock (_gate)
                {
                    if (_disposed) return;
                    if (_lists.TryGetValue(typeId, out var old)) old.Value.Dispose();
                    _lists[typeId] = new KeyValuePair<string, ListResult>(key, result.AddReference());
                }
            }

            public bool TryGetDaily(string typeId, string key, out List<RollupDataPoint> points)
            {
                lock (_gate)
                {
                    if (!_disposed && _daily.TryGetValue(typeId, out var kept) && kept.Key == key) { points = kept.Value; return true; }
                }
                points = null;
                return false;
            }

            public void KeepDaily(string typeId, string key, List<RollupDataPoint> points)
            {
                lock (_gate)
                {
                    if (!_disposed) _daily[typeId] = new KeyValuePair<string, List<RollupDataPoint>>(key, points);
                }
            }

            public void Dispose()
            {
                if (_owner == null) return; // a nested scope: the outer one owns the kept reads
                lock (_gate)
                {
                    if (_disposed) return;
                    _disposed = true;
                    foreach (var kept in _lists.Values) kept.Value.Dispose();
                    _lists.Clear();
                    _daily.Clear();
                }
                if (_owner._open == this) _owner._open = null;
            }
        }
    }
}
