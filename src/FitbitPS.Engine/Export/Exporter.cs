using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// Incremental export into a folder's store (<see cref="FitbitStore"/>): the first run reads from -From (or the account
    /// start); later runs read only the days after the last complete one plus a trailing window. Each chunk of days
    /// replaces the store's rows of those days in one transaction; a kind's sync state is written after its rows, and its
    /// CSV/JSON-lines file is derived from the store afterwards and replaced atomically. A run killed at any point and
    /// started again ends with the same store content and the same files as a run never interrupted.
    /// </summary>
    internal static class Exporter
    {
        /// <summary>What a run would do, without writing or creating anything (-WhatIf).</summary>
        public static async Task<IReadOnlyList<ExportPlanItem>> PlanAsync(ExportRequest request, ExportOptions options = null, CancellationToken cancellationToken = default)
        {
            options = options ?? new ExportOptions();
            Validate(request);
            string folder = ExportFolder.CheckPath(request.Path);
            string profile = ProfileOf(request);
            IDictionary<string, SyncEntry> entries = new Dictionary<string, SyncEntry>(StringComparer.OrdinalIgnoreCase);
            string filesFolder = "";
            using (var store = OpenExisting(folder))
            {
                if (store != null)
                {
                    entries = SyncStates.Load(store, profile);
                    var profiles = SyncStates.Profiles(store);
                    if (profiles.Count > 0 && !profiles.Contains(profile)) filesFolder = profile;
                }
            }
            if (entries.Count == 0 && Directory.Exists(folder) && File.Exists(Path.Combine(folder, ExportState.FileName)))
            {
                var legacy = ExportState.Load(folder);
                CheckLegacyAccount(request, folder, legacy);
                entries = LegacyState.Entries(legacy);
            }
            return await PlanCoreAsync(request, options, folder, filesFolder, entries, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Runs the export; returns one result per kind, in the order of the request.</summary>
        public static async Task<IReadOnlyList<ExportResult>> RunAsync(ExportRequest request, ExportOptions options = null, CancellationToken cancellationToken = default)
        {
            options = options ?? new ExportOptions();
            Validate(request);
            string folder = ExportFolder.CheckPath(request.Path);
            string profile = ProfileOf(request);
            // A damaged or newer state file of an older version must fail with the folder exactly as it was.
            if (Directory.Exists(folder) && File.Exists(Path.Combine(folder, ExportState.FileName)))
                CheckLegacyAccount(request, folder, ExportState.Load(folder));
            // Whose data the store holds under this profile, and whether this version can read it: asked read-only, so a
            // refused export has written nothing at all.
            using (var existing = OpenExisting(folder))
                if (existing != null) SyncStates.CheckAccount(existing, profile, request.Account);
            ExportFolder.EnsureWritable(folder);

            // One export per folder at a time: an OS lock held for the whole run (SQLite's own locks last one transaction,
            // and a run commits one per chunk so that an interrupted backfill keeps what it read).
            using (await FolderLock.AcquireAsync(folder, options.LockTimeout, options.Verbose, cancellationToken).ConfigureAwait(false))
            using (var store = OpenStore(folder, profile, request, options))
            {
                ExportFolder.DeleteStaleTemps(folder);
                string filesFolder = SyncStates.ClaimProfile(store, profile, request.Account);
                string files = Path.Combine(folder, filesFolder);
                if (filesFolder.Length > 0) { Directory.CreateDirectory(files); ExportFolder.DeleteStaleTemps(files); }
                ExportFolder.CheckNoLinks(files, request.Kinds.Select(k => k.FileName(request.Format)));

                // A newer parser than the one that read the store's rows: re-derive them first, with zero requests.
                var outdated = FetchLog.Outdated(store, profile);
                if (outdated.Count > 0 && request.CanReplay && !request.Full) // -Full reads every day again anyway
                {
                    var kinds = request.Kinds.Where(k => outdated.Contains(k.Name, StringComparer.OrdinalIgnoreCase)).ToList();
                    options.Verbose?.Invoke($"The store's records of {string.Join(", ", kinds.Select(k => k.Name))} were parsed by an older FitbitPS: re-parsing them from the kept answers (no requests).");
                    await Reparser.RunAsync(store, profile, kinds, options.Verbose, cancellationToken, automatic: true).ConfigureAwait(false);
                }

                var entries = SyncStates.Load(store, profile);
                var plan = await PlanCoreAsync(request, options, folder, filesFolder, entries, cancellationToken).ConfigureAwait(false);
                var raw = request.KeepRaw ? new RawAnswers(store, profile, request.ApiBase) : null;
                using (RawTap.Use(raw))
                using (request.ShareReads?.Invoke())
                {
                    var results = await ExportKindsConcurrentlyAsync(request, options, store, profile, entries, plan, raw, cancellationToken).ConfigureAwait(false);
                    if (raw != null) await raw.FlushAsync().ConfigureAwait(false); // a probe's answers, too
                    if (raw != null && raw.Answers > 0)
                        options.Verbose?.Invoke($"Kept {raw.Answers} API answer(s) in the store: {raw.BytesIn / 1024.0:0.#} KB, {raw.BytesStored / 1024.0:0.#} KB compressed.");
                    return results;
                }
            }
        }

        /// <summary>The folder's store read-only, or null when there is none yet (no file, or one an export is creating).</summary>
        private static FitbitStore OpenExisting(string folder)
        {
            if (!File.Exists(Path.Combine(folder, FitbitStore.FileName))) return null;
            try { return FitbitStore.OpenForRead(folder); }
            catch (ExportException e) when (e.Reason == ExportErrorKind.StoreNotFound) { return null; }
        }

        /// <summary>The folder's store, with the folder an older version exported taken in (once); a store this run created for
        /// an older folder it could not take in is removed again, so the folder is left exactly as it was.</summary>
        private static FitbitStore OpenStore(string folder, string profile, ExportRequest request, ExportOptions options)
        {
            bool created = !File.Exists(Path.Combine(folder, FitbitStore.FileName));
            var store = FitbitStore.OpenForWrite(folder, request.Kinds);
            try
            {
                LegacyState.Import(store, folder, profile, request.Account, request.Kinds, options.Verbose);
                return store;
            }
            catch
            {
                store.Dispose();
                if (created) FitbitStore.DeleteFiles(store.FilePath);
                throw;
            }
        }

        /// <summary>The path of the settings request below the API base (what a re-parse asks for the time zone).</summary>
        internal const string RawSettingsPath = "v4/users/me/settings";

        /// <summary>The settings answer's key in raw_answers.</summary>
        internal const string RawSettingsKey = "GET " + RawSettingsPath;

        /// <summary>Re-derives the typed tables of <paramref name="kinds"/> (those the store has reads of) from the raw answers
        /// with zero requests, then brings their files up to date.</summary>
        public static async Task<IReadOnlyList<ExportResult>> ReparseAsync(string path, string profile, IReadOnlyList<ExportKind> kinds, ExportOptions options,
            CancellationToken cancellationToken)
        {
            options = options ?? new ExportOptions();
            string folder = ExportFolder.CheckPath(path);
            if (!File.Exists(Path.Combine(folder, FitbitStore.FileName)))
                throw new ExportException(ExportErrorKind.StoreNotFound,
                    $"There is no FitbitPS store in '{folder}' to re-parse. Run Export-FitbitData -Path '{folder}' first.", folder);
            using (await FolderLock.AcquireAsync(folder, options.LockTimeout, options.Verbose, cancellationToken).ConfigureAwait(false))
            using (var store = FitbitStore.OpenForWrite(folder, kinds))
            {
                profile = StoreProfiles.Choose(store, profile);
                string filesFolder = SyncStates.ClaimProfile(store, profile, null);
                var entries = SyncStates.Load(store, profile);
                var results = new List<ExportResult>();
                foreach (var result in await Reparser.RunAsync(store, profile, kinds.Where(k => entries.ContainsKey(k.Name)).ToList(), options.Verbose, cancellationToken).ConfigureAwait(false))
                {
                    var kind = kinds.First(k => k.Name == result.Kind);
                    var entry = entries[kind.Name];
                    result.Format = entry.Format;
                    result.File = Path.Combine(folder, filesFolder, kind.FileName(entry.Format));
                    result.Changed = ExportFiles.WriteIfBehind(store, kind, profile, result.File, entry.Format, options.BeforeReplace);
                    results.Add(result);
                }
                return results;
            }
        }

        private static string ProfileOf(ExportRequest request) => string.IsNullOrWhiteSpace(request.Profile) ? FitbitStore.DefaultProfile : request.Profile;

        /// <summary>
        /// Reads the kinds at the same time (at most <see cref="ExportOptions.MaxConcurrentKinds"/>). Why: a kind's reads are
        /// mostly waiting on the network, and one kind's sequential page chain (sleep: each page needs the previous token)
        /// would otherwise start only after the other kinds' requests; the shared client's throttle still caps requests in
        /// flight and per minute. The store serializes their writes. A kind that fails the whole run stops the others (they
        /// are cancelled; what they committed stays: the next run picks up from there, as after a crash).
        /// </summary>
        private static async Task<IReadOnlyList<ExportResult>> ExportKindsConcurrentlyAsync(ExportRequest request, ExportOptions options,
            FitbitStore store, string profile, IDictionary<string, SyncEntry> entries, IReadOnlyList<ExportPlanItem> plan, RawAnswers raw, CancellationToken cancellationToken)
        {
            var run = new RunShared(options, plan.Count);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentKinds)))
            {
                var tasks = new Task<ExportResult>[plan.Count];
                for (int i = 0; i < plan.Count; i++)
                {
                    int index = i;
                    // Task.Run: the readers block on their fetches while the store enumerates them.
                    tasks[i] = Task.Run(async () =>
                    {
                        await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            stop.Token.ThrowIfCancellationRequested();
                            Api.RequestTally.Begin();
                            entries.TryGetValue(plan[index].Kind, out var entry);
                            return await ExportKindAsync(request, options, run, store, profile, entry, plan[index], index, plan.Count, raw, stop.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (!(e is OperationCanceledException))
                        {
                            stop.Cancel(); // the run fails: don't start or finish more work than the sequential run would have
                            throw;
                        }
                        finally { slots.Release(); }
                    });
                }
                try { await Task.WhenAll(tasks).ConfigureAwait(false); }
                catch
                {
                    // The first real failure in plan order, not a cancellation it caused in the others.
                    var failed = tasks.FirstOrDefault(t => t.IsFaulted && !(t.Exception.GetBaseException() is OperationCanceledException));
                    if (failed != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Exception.GetBaseException()).Throw();
                    cancellationToken.ThrowIfCancellationRequested();
                    throw;
                }
                return tasks.Select(t => t.Result).ToList();
            }
        }

        /// <summary>A folder of an older version records one Google account in its state file: another account's export is
        /// refused before anything is touched.</summary>
        private static void CheckLegacyAccount(ExportRequest request, string folder, ExportState state)
        {
            if (request.Account == null || state.Account == null || string.Equals(state.Account, request.Account, StringComparison.Ordinal)) return;
            var who = request.Profile != null ? $"profile '{request.Profile}' (Google Health user {request.Account})" : $"Google Health user {request.Account}";
            throw new ExportException(ExportErrorKind.AccountMismatch,
                $"The folder '{folder}' holds the export of another Google account (Google Health user {state.Account}), and this export is of {who}. " +
                "Nothing was changed. Export each account into its own folder (or use the profile that made this one).", folder)
            { RecommendedAction = "Give this profile its own -Path, or run the export with the -Profile that made this folder." };
        }

        private static void Validate(ExportRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.Kinds == null || request.Kinds.Count == 0) throw new ArgumentException("Choose at least one kind of record to export.", nameof(request));
            if (request.Today == default) throw new ArgumentException("The person's current date (Today) is required.", nameof(request));
            var dup = request.Kinds.GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (dup != null) throw new ArgumentException($"The kind {dup.Key} is listed twice.", nameof(request));
            if (request.From.HasValue && request.To.HasValue && request.From.Value.Date > request.To.Value.Date)
                throw Core.FitbitInputException.Reversed(request.From.Value.Date, request.To.Value.Date);
            if (request.From.HasValue && request.From.Value.Date > request.Today.Date)
                throw Core.FitbitInputException.Future(request.From.Value.Date, (request.To ?? request.From).Value.Date, request.Today.Date, onlyTo: false);
        }

        private static async Task<IReadOnlyList<ExportPlanItem>> PlanCoreAsync(ExportRequest request, ExportOptions options, string folder, string filesFolder,
            IDictionary<string, SyncEntry> entries, CancellationToken cancellationToken)
        {
            DateTime today = request.Today.Date;
            DateTime end = request.To.HasValue && request.To.Value.Date < today ? request.To.Value.Date : today;
            DateTime? accountStart = null;
            bool askedAccount = false;
            var items = new List<ExportPlanItem>();
            foreach (var kind in request.Kinds)
            {
                string file = kind.FileName(request.Format);
                string path = Path.Combine(folder, filesFolder, file);
                entries.TryGetValue(kind.Name, out var entry);
                if (entry != null && entry.Format != request.Format)
                    throw new ExportException(ExportErrorKind.FormatMismatch,
                        $"The folder '{folder}' holds {kind.Name} as {entry.Format} ({kind.FileName(entry.Format)}); this export asks for {request.Format}. " +
                        $"Use -Format {entry.Format}, or export {request.Format} into another folder. Nothing was changed.", folder);
                bool exists = File.Exists(path);

                DateTime start;
                bool fullRange;
                // A kind whose reads were forgotten (a re-parse that could not run) has nothing complete: read from its first day.
                if (request.Full || entry == null || entry.LastCompleteDay < entry.From)
                {
                    fullRange = true;
                    if (request.From.HasValue) start = request.From.Value.Date;
                    else if (entry != null) start = entry.From;
                    else if (kind.Intraday) start = today.AddDays(-(options.DefaultIntradayHistoryDays - 1));
                    else
                    {
                        if (!askedAccount && request.AccountStart != null)
                        {
                            accountStart = await request.AccountStart(cancellationToken).ConfigureAwait(false);
                            askedAccount = true;
                        }
                        start = accountStart?.Date ?? today.AddDays(-(options.DefaultHistoryDays - 1));
                    }
                }
                else
                {
                    fullRange = false;
                    DateTime incremental = entry.LastCompleteDay.AddDays(1 - Math.Max(0, options.TrailingWindowDays));
                    if (request.From.HasValue && request.From.Value.Date < entry.From) { start = request.From.Value.Date; fullRange = true; }
                    else if (request.From.HasValue && request.From.Value.Date > incremental) start = request.From.Value.Date;
                    else start = incremental;
                }
                if (start > today) start = today;

                bool any = start <= end;
                items.Add(new ExportPlanItem
                {
                    Kind = kind.Name,
                    File = path,
                    FileExists = exists,
                    From = any ? start : (DateTime?)null,
                    To = any ? end : (DateTime?)null,
                    FullRange = fullRange,
                    ExportKind = kind,
                    Action = !any ? $"nothing to read for {file}"
                        : exists ? $"read {start:yyyy-MM-dd}..{end:yyyy-MM-dd} into the store and update {file}"
                        : $"read {start:yyyy-MM-dd}..{end:yyyy-MM-dd} into the store and write {file}",
                });
            }
            return items;
        }

        private static async Task<ExportResult> ExportKindAsync(ExportRequest request, ExportOptions options, RunShared run, FitbitStore store, string profile,
            SyncEntry entry, ExportPlanItem item, int index, int count, RawAnswers raw, CancellationToken cancellationToken)
        {
            var kind = item.ExportKind;
            string fileName = Path.GetFileName(item.File);
            var result = new ExportResult { Kind = kind.Name, File = item.File, Format = request.Format, From = item.From, To = item.To };

            void Report(DateTime? day, long rows, bool done)
            {
                if (options.Progress == null) return;
                int kindPercent = done ? 100 : 0;
                if (!done && day.HasValue && item.From.HasValue && item.To.HasValue)
                {
                    double all = (item.To.Value - item.From.Value).TotalDays + 1;
                    kindPercent = (int)Math.Min(99, Math.Max(0, ((day.Value - item.From.Value).TotalDays + 1) * 100 / all));
                }
                run.Progress(new ExportProgress
                {
                    Kind = kind.Name,
                    KindIndex = index,
                    KindCount = count,
                    Day = day,
                    Rows = rows,
                    KindPercent = kindPercent,
                    Completed = done,
                    Status = done ? $"{kind.Name}: {rows} rows in {fileName}"
                        : day.HasValue ? $"{kind.Name}: read up to {day:yyyy-MM-dd}, {rows} rows"
                        : $"{kind.Name}: {item.Action}",
                });
            }

            long requestsBefore = options.RequestCount?.Invoke() ?? 0;
            try
            {
                if (!item.From.HasValue)
                {
                    result.RowsTotal = entry?.RowCount ?? 0;
                    if (entry != null) result.Changed = ExportFiles.WriteIfBehind(store, kind, profile, item.File, request.Format, options.BeforeReplace);
                    Report(null, result.RowsTotal, done: true);
                    return result;
                }

                run.Verbose($"{kind.Name}: {item.Action}.");
                Report(null, 0, done: false);
                DateTime lastComplete = Min(item.To.Value, request.Today.Date.AddDays(-1));
                // The change probe only stands in for the full read on a later run of the same day: the first run of a new
                // day (a new last complete day) reads every data type again, which bounds how long a change the probe cannot
                // see (an edit, a recomputation) stays out of the store to one day, still inside the trailing window then.
                bool probe = kind.HasChangeProbe && !item.FullRange && entry != null && entry.LastCompleteDay == lastComplete;
                var counts = new MergeCounts();
                bool unchanged = probe && await kind.ProbeUnchangedAsync(store, profile, item.From.Value, item.To.Value, cancellationToken).ConfigureAwait(false);
                if (unchanged)
                    run.Verbose($"{kind.Name}: nothing synced since the last export ({item.From:yyyy-MM-dd}..{item.To:yyyy-MM-dd} probed); the other data types were not read.");
                else
                {
                    var clock = request.Clock?.Invoke() ?? DateTimeOffset.UtcNow;
                    counts = await kind.SyncAsync(store, profile, item.From.Value, item.To.Value,
                        (f, t) => (connection, transaction, changed) =>
                        {
                            if (changed) SyncStates.Touch(connection, transaction, profile, kind.Name);
                            if (request.KeepRaw) FetchLog.Add(connection, transaction, profile, kind.Name, f, t, clock);
                            // A first backfill records how far it got with each chunk: stopped at 90 %, the next run goes on
                            // from there instead of reading every day again.
                            if (entry == null)
                                SyncStates.Save(connection, transaction, profile, new SyncEntry
                                {
                                    Kind = kind.Name, Format = request.Format, From = item.From.Value, LastCompleteDay = Min(t, lastComplete),
                                });
                        },
                        raw == null ? (Func<Task>)null : raw.FlushAsync,
                        (day, so) => Report(day, so.Added + so.Updated, done: false), cancellationToken).ConfigureAwait(false);
                }

                // The sync state is written after the rows it describes: a crash in between leaves the old state, and the next
                // run reads the same days again (they are then unchanged).
                var updated = new SyncEntry
                {
                    Kind = kind.Name,
                    Format = request.Format,
                    From = entry == null ? item.From.Value : Min(entry.From, item.From.Value),
                    LastCompleteDay = entry == null ? lastComplete : Max(entry.LastCompleteDay, lastComplete),
                };
                result.RowsTotal = store.Run(() =>
                {
                    using (var transaction = store.Connection.BeginTransaction(deferred: false))
                    {
                        updated.RowCount = kind.Table.Count(store.Connection, transaction, profile);
                        SyncStates.Save(store.Connection, transaction, profile, updated);
                        transaction.Commit();
                        return updated.RowCount;
                    }
                }, "record what was synced");
                result.RowsAdded = counts.Added;
                result.RowsUpdated = counts.Updated;
                result.RowsRemoved = counts.Removed;
                result.Changed = ExportFiles.WriteIfBehind(store, kind, profile, item.File, request.Format, options.BeforeReplace);
                result.Requests = (options.RequestCount?.Invoke() ?? 0) - requestsBefore;
                Report(item.To, result.RowsTotal, done: true);
                return result;
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is ExportException) && options.IsKindError != null && options.IsKindError(e))
            {
                result.Requests = (options.RequestCount?.Invoke() ?? 0) - requestsBefore;
                result.Error = e;
                result.RowsTotal = entry?.RowCount ?? 0;
                Report(null, result.RowsTotal, done: true);
                return result;
            }
        }

        private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
        private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    }
}
