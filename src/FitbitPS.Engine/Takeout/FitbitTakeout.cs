using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>How to read an archive: which days, whose zone, where progress and warnings go.</summary>
    public sealed class TakeoutReadOptions
    {
        /// <summary>First and last calendar day to keep (inclusive); null: all.</summary>
        public DateTime? From { get; set; }
        public DateTime? To { get; set; }

        /// <summary>The person's home zone; null: Your Profile/Profile.csv's timezone, else this computer's.</summary>
        public TimeZoneInfo TimeZone { get; set; }

        /// <summary>Days after this one are placeholders (legacy files are padded into the future) and dropped.</summary>
        public DateTime Today { get; set; } = DateTime.Today;

        public Action<TakeoutProgress> Progress { get; set; }

        /// <summary>Warnings (a damaged file, named) and verbose lines.</summary>
        public EngineLogger Log { get; set; }
    }

    /// <summary>How far a read is: files and bytes (uncompressed) of the archive.</summary>
    public sealed class TakeoutProgress
    {
        public int Files { get; internal set; }
        public int FileCount { get; internal set; }
        public long Bytes { get; internal set; }
        public long TotalBytes { get; internal set; }
        public string File { get; internal set; }
        public int Percent => TotalBytes <= 0 ? 100 : (int)Math.Min(100, Bytes * 100 / TotalBytes);
    }

    /// <summary>
    /// A Google Takeout archive of Fitbit / Google Health data as the readers' records (no sign-in, no Cloud project), or
    /// merged into an export folder's store. The API wins where both have a day: Takeout fills only the days outside what
    /// the profile has synced of a kind (sync state from..last complete day, and the day after it, which the API export
    /// also wrote), so nothing is ever doubled, and importing the same archive again changes nothing.
    /// </summary>
    public static class FitbitTakeout
    {
        /// <summary>The -DataType names an archive gives.</summary>
        public static IReadOnlyList<string> DataTypes => TakeoutReader.Kinds;

        private static IReadOnlyList<string> Choose(IEnumerable<string> dataTypes)
        {
            var names = (dataTypes ?? new[] { "All" }).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            if (names.Count == 0 || names.Any(n => n.Equals("All", StringComparison.OrdinalIgnoreCase))) return TakeoutReader.Kinds;
            var unknown = names.Where(n => !TakeoutReader.Kinds.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
                throw new FitbitInputException(FitbitInputException.UnknownDataType, $"A Takeout archive does not give -DataType {string.Join(", ", unknown)}.",
                    string.Join(",", unknown), $"Use All or any of: {string.Join(", ", TakeoutReader.Kinds)}.");
            return TakeoutReader.Kinds.Where(k => names.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        }

        private static TakeoutReader ReadArchive(IEnumerable<string> paths, TakeoutReadOptions options, CancellationToken cancellationToken)
        {
            if (options.From.HasValue && options.To.HasValue && options.From.Value.Date > options.To.Value.Date)
                throw FitbitInputException.Reversed(options.From.Value, options.To.Value);
            using (var archive = TakeoutArchive.Open(paths))
            {
                var reader = new TakeoutReader(options);
                reader.Read(archive, cancellationToken);
                return reader;
            }
        }

        /// <summary>The records of the archive, kind by kind (in <see cref="DataTypes"/> order), each kind by day.</summary>
        public static IEnumerable<object> Read(IEnumerable<string> paths, IEnumerable<string> dataTypes, TakeoutReadOptions options, CancellationToken cancellationToken)
        {
            options = options ?? new TakeoutReadOptions();
            var kinds = Choose(dataTypes);
            var reader = ReadArchive(paths, options, cancellationToken);
            return kinds.SelectMany(k => reader.Records(k));
        }

        /// <summary>Merges the archive's records into the store of <paramref name="folder"/> (created when missing) for
        /// <paramref name="profile"/> (null: the store's only profile, or "default"), then brings the kinds' files up to
        /// date. One result per kind: rows added, updated, removed (Takeout rows of its own days that a newer archive no
        /// longer has), and the days it filled.</summary>
        public static async Task<IReadOnlyList<ExportResult>> ImportAsync(IEnumerable<string> paths, string folder, string profile, IEnumerable<string> dataTypes,
            TakeoutReadOptions options, CancellationToken cancellationToken)
        {
            options = options ?? new TakeoutReadOptions();
            var names = Choose(dataTypes);
            folder = ExportFolder.CheckPath(folder);
            var reader = ReadArchive(paths, options, cancellationToken);
            ExportFolder.EnsureWritable(folder);
            var allKinds = ExportKinds.Kinds(null);
            var kinds = allKinds.Where(k => names.Contains(k.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            var results = new List<ExportResult>();
            using (await FolderLock.AcquireAsync(folder, TimeSpan.FromMinutes(5), m => options.Log?.Invoke(EngineLogLevel.Verbose, m), cancellationToken).ConfigureAwait(false))
            using (var store = FitbitStore.OpenForWrite(folder, allKinds))
            {
                if (profile == null)
                {
                    var profiles = SyncStates.Profiles(store);
                    profile = profiles.Count == 0 ? FitbitStore.DefaultProfile : StoreProfiles.Choose(store, null);
                }
                string filesFolder = SyncStates.ClaimProfile(store, profile, null);
                string files = Path.Combine(folder, filesFolder);
                if (filesFolder.Length > 0) Directory.CreateDirectory(files);
                var entries = SyncStates.Load(store, profile);
                foreach (var kind in kinds)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    entries.TryGetValue(kind.Name, out var entry);
                    var result = Merge(store, profile, kind, reader.Records(kind.Name).ToList(), entry);
                    var format = entry?.Format ?? ExportFormat.Csv;
                    result.File = Path.Combine(files, kind.FileName(format));
                    result.Format = format;
                    result.Changed = ExportFiles.WriteIfBehind(store, kind, profile, result.File, format, null);
                    result.RowsTotal = store.Run(() =>
                    {
                        using (var transaction = store.Connection.BeginTransaction(deferred: false))
                        {
                            long rows = kind.Table.Count(store.Connection, transaction, profile);
                            if (entry != null)
                            {
                                entry.RowCount = rows;
                                SyncStates.Save(store.Connection, transaction, profile, entry);
                            }
                            transaction.Commit();
                            return rows;
                        }
                    }, "record what was imported");
                    options.Log?.Invoke(EngineLogLevel.Verbose, $"{kind.Name}: {result.RowsAdded} added, {result.RowsUpdated} updated, {result.RowsRemoved} removed from the archive" +
                        (entry != null ? $" (days {entry.From:yyyy-MM-dd}..{entry.LastCompleteDay.AddDays(1):yyyy-MM-dd} are the API's and were left alone)." : "."));
                    results.Add(result);
                }
            }
            return results;
        }

        /// <summary>The days of <paramref name="records"/> outside the API's (from..last complete day + 1), each stretch
        /// replaced by the archive's rows in one transaction.</summary>
        private static ExportResult Merge(FitbitStore store, string profile, ExportKind kind, List<object> records, SyncEntry entry)
        {
            var result = new ExportResult { Kind = kind.Name };
            if (records.Count == 0) return result;
            var days = records.Select(kind.DayOf).ToList();
            DateTime first = days.Min(), last = days.Max();
            var ranges = new List<(DateTime From, DateTime To)>();
            if (entry == null) ranges.Add((first, last));
            else
            {
                DateTime apiFrom = entry.From, apiTo = entry.LastCompleteDay.AddDays(1);
                if (first < apiFrom) ranges.Add((first, last < apiFrom ? last : apiFrom.AddDays(-1)));
                if (last > apiTo) ranges.Add((first > apiTo ? first : apiTo.AddDays(1), last));
            }
            var counts = new MergeCounts();
            foreach (var (from, to) in ranges)
            {
                var inRange = records.Where((r, i) => days[i] >= from && days[i] <= to);
                counts.Add(kind.Apply(store, profile, from, to, inRange, (connection, transaction, changed) =>
                {
                    if (changed) SyncStates.Touch(connection, transaction, profile, kind.Name);
                }));
            }
            result.RowsAdded = counts.Added;
            result.RowsUpdated = counts.Updated;
            result.RowsRemoved = counts.Removed;
            if (ranges.Count > 0) { result.From = ranges[0].From; result.To = ranges[ranges.Count - 1].To; }
            return result;
        }
    }
}
