using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// Incremental, crash-safe export of records into a folder: one file per kind, a state file,
    /// one writer at a time. The first run reads from -From (or the account start); later runs
    /// read only the days after the last complete one plus a trailing window, and merge by key.
    /// Each kind's file is replaced atomically and its state entry written after it, so a run
    /// killed at any point and started again leaves the same bytes as a run never interrupted.
    /// </summary>
    internal static class Exporter
    {
        /// <summary>What a run would do, without writing or creating anything (-WhatIf).</summary>
        public static async Task<IReadOnlyList<ExportPlanItem>> PlanAsync(ExportRequest request, ExportOptions options = null, CancellationToken cancellationToken = default)
        {
            options = options ?? new ExportOptions();
            Validate(request);
            string folder = ExportFolder.CheckPath(request.Path);
            var state = Directory.Exists(folder) ? ExportState.Load(folder) : new ExportState();
            CheckAccount(request, folder, state);
            return await PlanCoreAsync(request, options, folder, state, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Runs the export; returns one result per kind, in the order of the request.</summary>
        public static async Task<IReadOnlyList<ExportResult>> RunAsync(ExportRequest request, ExportOptions options = null, CancellationToken cancellationToken = default)
        {
            options = options ?? new ExportOptions();
            Validate(request);
            string folder = ExportFolder.CheckPath(request.Path);
            // Read the state once before touching anything: a damaged or newer state file must
            // fail with the folder exactly as it was (no lock file, no probe).
            if (Directory.Exists(folder)) CheckAccount(request, folder, ExportState.Load(folder));
            ExportFolder.EnsureWritable(folder);

            using (await FolderLock.AcquireAsync(folder, options.LockTimeout, options.Verbose, cancellationToken).ConfigureAwait(false))
            {
                // Under the lock: the state another export may just have written is the truth.
                var state = ExportState.Load(folder);
                CheckAccount(request, folder, state);
                ExportFolder.DeleteStaleTemps(folder);
                ExportFolder.CheckNoLinks(folder, request.Kinds.Select(k => k.FileName(request.Format)).Concat(new[] { ExportState.FileName }));
                if (state.Account == null && request.Account != null)
                {
                    // The folder is this account's from now on (a folder from before accounts were recorded learns it now).
                    state.Account = request.Account;
                    if (state.Kinds.Count > 0) ExportFolder.WriteAllText(folder, ExportState.FileName, state.ToJson(), options.BeforeReplace);
                }
                var plan = await PlanCoreAsync(request, options, folder, state, cancellationToken).ConfigureAwait(false);
                using (request.ShareReads?.Invoke())
                    return await ExportKindsConcurrentlyAsync(request, options, folder, state, plan, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads the kinds at the same time (at most <see cref="ExportOptions.MaxConcurrentKinds"/>).
        /// Why: a kind's reads are mostly waiting on the network, and one kind's sequential page
        /// chain (sleep: each page needs the previous token) would otherwise start only after the
        /// other kinds' requests; the shared client's throttle still caps requests in flight and per
        /// minute. Each kind still replaces its own file atomically; the state file is written under
        /// one lock (<see cref="RunShared.StateGate"/>) so every write holds every finished kind.
        /// A kind that fails the whole run stops the others (they are cancelled, their finished files
        /// and state entries stay: the next run picks up from there, as after a crash).
        /// </summary>
        private static async Task<IReadOnlyList<ExportResult>> ExportKindsConcurrentlyAsync(ExportRequest request, ExportOptions options,
            string folder, ExportState state, IReadOnlyList<ExportPlanItem> plan, CancellationToken cancellationToken)
        {
            var run = new RunShared(options, plan.Count);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentKinds)))
            {
                var tasks = new Task<ExportResult>[plan.Count];
                for (int i = 0; i < plan.Count; i++)
                {
                    int index = i;
                    // Task.Run: the readers block on their fetches while a merger enumerates them.
                    tasks[i] = Task.Run(async () =>
                    {
                        await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            stop.Token.ThrowIfCancellationRequested();
                            Api.RequestTally.Begin();
                            return await ExportKindAsync(request, options, run, folder, state, plan[index], index, plan.Count, stop.Token).ConfigureAwait(false);
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

        /// <summary>Two Google accounts never mix in one folder: the folder records whose data it holds.</summary>
        private static void CheckAccount(ExportRequest request, string folder, ExportState state)
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

        private static async Task<IReadOnlyList<ExportPlanItem>> PlanCoreAsync(ExportRequest request, ExportOptions options, string folder,
            ExportState state, CancellationToken cancellationToken)
        {
            DateTime today = request.Today.Date;
            DateTime end = request.To.HasValue && request.To.Value.Date < today ? request.To.Value.Date : today;
            DateTime? accountStart = null;
            bool askedAccount = false;
            var items = new List<ExportPlanItem>();
            foreach (var kind in request.Kinds)
            {
                string file = kind.FileName(request.Format);
                string path = Path.Combine(folder, file);
                state.Kinds.TryGetValue(kind.Name, out var entry);
                if (entry != null && entry.Format != request.Format)
                    throw new ExportException(ExportErrorKind.FormatMismatch,
                        $"The folder '{folder}' holds {kind.Name} as {entry.Format} ({entry.File}); this export asks for {request.Format}. " +
                        $"Use -Format {entry.Format}, or export {request.Format} into another folder. Nothing was changed.", folder);
                bool exists = File.Exists(path);
                bool currentColumns = exists && kind.CreateMerger(request.Format).HasCurrentColumns(path);
                bool fromScratch = exists && !currentColumns;

                DateTime start;
                bool fullRange;
                if (request.Full || entry == null || !exists || fromScratch)
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
                    if (fromScratch && entry != null && entry.From < start) start = entry.From; // keep what the file covered
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
                    RewriteFromScratch = fromScratch,
                    ExportKind = kind,
                    Action = !any ? $"nothing to read for {file}"
                        : fromScratch ? $"read {start:yyyy-MM-dd}..{end:yyyy-MM-dd} and rewrite {file} (its columns differ from this version's)"
                        : exists ? $"read {start:yyyy-MM-dd}..{end:yyyy-MM-dd} and merge into {file}"
                        : $"read {start:yyyy-MM-dd}..{end:yyyy-MM-dd} and create {file}",
                });
            }
            return items;
        }

        private static async Task<ExportResult> ExportKindAsync(ExportRequest request, ExportOptions options, RunShared run, string folder, ExportState state,
            ExportPlanItem item, int index, int count, CancellationToken cancellationToken)
        {
            var kind = item.ExportKind;
            string fileName = Path.GetFileName(item.File);
            var result = new ExportResult { Kind = kind.Name, File = item.File, Format = request.Format, From = item.From, To = item.To };
            ExportKindState entry;
            lock (run.StateGate) state.Kinds.TryGetValue(kind.Name, out entry);

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

            if (!item.From.HasValue)
            {
                result.RowsTotal = entry?.RowCount ?? 0;
                Report(null, result.RowsTotal, done: true);
                return result;
            }

            run.Verbose($"{kind.Name}: {item.Action}.");
            Report(null, 0, done: false);
            long requestsBefore = options.RequestCount?.Invoke() ?? 0;
            var merger = kind.CreateMerger(request.Format);
            string existing = item.FileExists && !item.RewriteFromScratch ? item.File : null;
            DateTime lastComplete = Min(item.To.Value, request.Today.Date.AddDays(-1));
            // The change probe only stands in for the full read on a later run of the same day: the
            // first run of a new day (a new last complete day) reads every data type again, which
            // bounds how long a change the probe cannot see (an edit, a recomputation) stays out of
            // the file to one day, and it is still inside the trailing window then (docs/export.md).
            bool probe = kind.HasChangeProbe && existing != null && !item.FullRange && entry != null
                         && entry.LastCompleteDay == lastComplete && entry.Format == request.Format;
            string temp = null;
            MergeCounts counts = null;
            try
            {
                if (probe)
                {
                    var (unchanged, rows) = await merger.ProbeAsync(existing, item.From.Value, item.To.Value, cancellationToken).ConfigureAwait(false);
                    if (unchanged)
                    {
                        run.Verbose($"{kind.Name}: nothing synced since {fileName} was written ({item.From:yyyy-MM-dd}..{item.To:yyyy-MM-dd} probed); the other data types were not read.");
                        counts = new MergeCounts { Total = rows };
                    }
                }
                if (counts == null) counts = await MergeIntoFileAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ExportFolder.TryDelete(temp);
                result.Requests = (options.RequestCount?.Invoke() ?? 0) - requestsBefore;
                if (e is ExistingFileException bad)
                    throw new ExportException(ExportErrorKind.ExistingFileUnreadable,
                        $"Cannot merge into {bad.Message}. The file was not changed. Move it away (or fix it) and run the export again.", bad.Path, e);
                if (e is IOException io)
                {
                    if (ExportFolder.IsDiskFull(io))
                        throw new ExportException(ExportErrorKind.DiskFull,
                            $"The disk filled up while writing {fileName} in '{folder}'. {fileName} and the other files were left as they were; free some space and run the export again.", item.File, e);
                    throw new ExportException(ExportErrorKind.WriteFailed,
                        $"Could not write {fileName} in '{folder}': {io.Message} The file was left as it was.", item.File, e);
                }
                if (e is UnauthorizedAccessException)
                    throw new ExportException(ExportErrorKind.FolderNotWritable,
                        $"Could not write {fileName} in '{folder}': {e.Message} The file was left as it was.", item.File, e);
                if (!(e is OperationCanceledException) && options.IsKindError != null && options.IsKindError(e))
                {
                    result.Error = e;
                    result.RowsTotal = entry?.RowCount ?? 0;
                    Report(null, result.RowsTotal, done: true);
                    return result;
                }
                throw;
            }
            ExportFolder.TryDelete(temp); // unchanged: the old file stays, byte for byte

            async Task<MergeCounts> MergeIntoFileAsync()
            {
                temp = ExportFolder.NewTempPath(folder, fileName);
                MergeCounts merged;
                var stream = ExportFolder.CreateTemp(temp);
                try
                {
                    using (var writer = ExportFolder.Writer(stream))
                    {
                        merged = await merger.MergeAsync(existing, writer, item.From.Value, item.To.Value,
                            (day, rows) => Report(day, rows, done: false), cancellationToken).ConfigureAwait(false);
                    }
                    bool changed = merged.Changed || existing == null;
                    result.Changed = changed;
                    if (changed)
                    {
                        ExportFolder.Commit(stream, temp, item.File, options.BeforeReplace);
                        temp = null;
                    }
                }
                finally
                {
                    stream.Dispose();
                }
                return merged;
            }

            result.Requests = (options.RequestCount?.Invoke() ?? 0) - requestsBefore;
            result.RowsAdded = counts.Added;
            result.RowsUpdated = counts.Updated;
            result.RowsRemoved = counts.Removed;
            result.RowsTotal = counts.Total;

            // The state entry is written after the file it describes: a crash in between leaves the
            // old entry, and the next run simply reads the same days again and merges them.
            var updated = new ExportKindState
            {
                File = fileName,
                Format = request.Format,
                From = entry == null ? item.From.Value : Min(entry.From, item.From.Value),
                LastCompleteDay = entry == null ? lastComplete : Max(entry.LastCompleteDay, lastComplete),
                RowCount = counts.Total,
            };
            if (entry == null || entry.File != updated.File || entry.Format != updated.Format || entry.From != updated.From
                || entry.LastCompleteDay != updated.LastCompleteDay || entry.RowCount != updated.RowCount)
            {
                IOException failed = null;
                lock (run.StateGate)
                {
                    state.Kinds[kind.Name] = updated;
                    try
                    {
                        ExportFolder.WriteAllText(folder, ExportState.FileName, state.ToJson(), options.BeforeReplace);
                    }
                    catch (IOException io)
                    {
                        if (entry == null) state.Kinds.Remove(kind.Name); else state.Kinds[kind.Name] = entry;
                        failed = io;
                    }
                }
                if (failed != null)
                {
                    var io = failed;
                    throw new ExportException(ExportFolder.IsDiskFull(io) ? ExportErrorKind.DiskFull : ExportErrorKind.WriteFailed,
                        $"{fileName} was written, but the state file could not be updated ({io.Message}). The next export reads those days again; nothing is lost or duplicated.",
                        Path.Combine(folder, ExportState.FileName), io);
                }
            }
            Report(item.To, counts.Total, done: true);
            return result;
        }

        private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
        private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    }
}
