using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Auth;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Http;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// Re-derives a profile's typed tables from the raw answers, with zero requests: every logged read of a kind is run
    /// again, in order, by the same readers and parsers, on a network that answers from the store
    /// (<see cref="RawReplayHandler"/>), each with the 'now' it first ran with. Runs when the parser version of a read is
    /// older than this version's, or when asked (Export-FitbitData -Reparse).
    /// </summary>
    internal static class Reparser
    {
        /// <summary>The API base of a replay (any address: nothing is sent).</summary>
        internal static readonly Uri ReplayBase = new Uri("https://store.fitbitps.invalid/");

        /// <param name="automatic">Before a sync (a newer parser): a kind that cannot be re-parsed (an answer not kept) is not an
        /// error; its reads are forgotten and the sync reads its days again. On request (-Reparse) it is the error.</param>
        public static async Task<IReadOnlyList<ExportResult>> RunAsync(FitbitStore store, string profile, IReadOnlyList<ExportKind> kinds,
            Action<string> verbose, CancellationToken cancellationToken, bool automatic = false)
        {
            var raw = new RawAnswers(store, profile, ReplayBase);
            var network = new RawReplayHandler(raw);
            var throttle = new RequestThrottle(8, requestsPerMinute: 0); // the store answers: no quota to respect
            var results = new List<ExportResult>();
            foreach (var shape in kinds)
            {
                var result = new ExportResult { Kind = shape.Name };
                var counts = new MergeCounts();
                var entries = FetchLog.List(store, profile, shape.Name);
                verbose?.Invoke($"{shape.Name}: re-parsing {entries.Count} read(s) from the store's raw answers.");
                try
                {
                foreach (var entry in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var clock = entry.Clock;
                    network.Settings = entry.Settings;
                    using (var connection = new FitbitConnection(ReplayToken.Instance, ReplayBase, network, c => c.Clock = () => clock, throttle: throttle, profile: profile))
                    {
                        var kind = ExportKinds.Kinds(connection.OpenReader()).FirstOrDefault(k => string.Equals(k.Name, shape.Name, StringComparison.OrdinalIgnoreCase))
                            ?? throw new ArgumentException($"{shape.Name} is not a kind FitbitPS reads from the API.", nameof(kinds));
                        counts.Add(await kind.ReadIntoAsync(store, profile, entry.From, entry.To, (c, transaction, changed) =>
                        {
                            if (changed) SyncStates.Touch(c, transaction, profile, kind.Name);
                            FetchLog.MarkParsed(c, transaction, entry.Id);
                        }, cancellationToken).ConfigureAwait(false));
                        result.From = result.From.HasValue && result.From < entry.From ? result.From : entry.From;
                        result.To = result.To.HasValue && result.To > entry.To ? result.To : entry.To;
                    }
                }
                }
                catch (ExportException e) when (automatic && e.Reason == ExportErrorKind.RawAnswerMissing)
                {
                    verbose?.Invoke($"{shape.Name}: cannot be re-parsed ({e.Message}) Its days are read again instead.");
                    store.Run(() =>
                    {
                        using (var transaction = store.Connection.BeginTransaction(deferred: false))
                        {
                            FetchLog.Reset(store.Connection, transaction, profile, shape.Name);
                            transaction.Commit();
                        }
                    }, "forget the reads of " + shape.Name);
                    continue;
                }
                result.RowsAdded = counts.Added;
                result.RowsUpdated = counts.Updated;
                result.RowsRemoved = counts.Removed;
                result.RowsTotal = store.Run(() =>
                {
                    long rows = shape.Table.Count(store.Connection, null, profile);
                    FitbitStore.Execute(store.Connection, null, "UPDATE sync_state SET row_count = $n WHERE profile = $p AND kind = $k;",
                        ("$n", rows), ("$p", profile), ("$k", shape.Name));
                    return rows;
                }, "count rows");
                results.Add(result);
            }
            return results;
        }

        /// <summary>A token for a request that never leaves the machine.</summary>
        private sealed class ReplayToken : IAccessTokenSource
        {
            public static readonly ReplayToken Instance = new ReplayToken();
            public Task<string> GetAccessTokenAsync(string rejected, CancellationToken cancellationToken) => Task.FromResult("replay");
        }
    }
}
