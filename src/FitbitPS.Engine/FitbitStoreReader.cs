using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.Reading;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine
{
    /// <summary>
    /// Offline reads: the records of an export folder's store, the same objects the readers give for the same days, with
    /// no sign-in and no request. One profile of the store (the only one, or the one named). Read-only: an export may
    /// write the store meanwhile (SQLite's WAL gives each read a consistent snapshot).
    /// </summary>
    public sealed class FitbitStoreReader : IDisposable
    {
        private readonly FitbitStore _store;

        private FitbitStoreReader(FitbitStore store, string profile)
        {
            _store = store;
            Profile = profile;
        }

        /// <summary>Opens the store of a folder (or the store file itself) for <paramref name="profile"/> (null: the
        /// store's only profile, or "default").</summary>
        public static FitbitStoreReader Open(string path, string profile)
        {
            var store = FitbitStore.OpenForRead(path);
            try
            {
                return new FitbitStoreReader(store, StoreProfiles.Choose(store, profile));
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        /// <summary>Whose records these are.</summary>
        public string Profile { get; }

        /// <summary>The store file.</summary>
        public string StorePath => _store.FilePath;

        /// <summary>-From/-To/-Days as the readers take them, "today" being this computer's date.</summary>
        public CivilRange Resolve(DateTime? from, DateTime? to, int? days, int defaultDays = RequestPlanner.DefaultDays)
            => RequestPlanner.Resolve(from, to, days, DateTimeOffset.Now, defaultDays);

        /// <summary>True when the store keeps records of type <typeparamref name="T"/>.</summary>
        public static bool Keeps<T>() => KindTables.ForRecordType(typeof(T)) != null;

        /// <summary>The days of <typeparamref name="T"/>'s kind the store holds for the profile (null: none), for a warning
        /// when a read asks for days outside them: what the API synced (from..last complete day + 1) joined with the first
        /// and last day of the kind's rows, so the days a Takeout filled (before or after the API's) count too.</summary>
        public (DateTime From, DateTime To)? Synced<T>()
        {
            var kind = KindOf<T>();
            (DateTime From, DateTime To)? synced = SyncStates.Load(_store, Profile).TryGetValue(kind.Name, out var entry)
                ? (entry.From, entry.LastCompleteDay.AddDays(1)) : ((DateTime, DateTime)?)null;
            var held = _store.Run(() => kind.Table.DayRange(_store.Connection, Profile), "read " + kind.Table.Name);
            if (synced == null) return held;
            if (held == null) return synced;
            return (held.Value.From < synced.Value.From ? held.Value.From : synced.Value.From, held.Value.To > synced.Value.To ? held.Value.To : synced.Value.To);
        }

        /// <summary>The records of <paramref name="range"/> (by the person's calendar day), in the export's order, streamed.</summary>
        public IEnumerable<ReadItem<T>> Read<T>(CivilRange range, CancellationToken cancellationToken)
        {
            var kind = KindOf<T>();
            // Its own connection, so a read streams (flat memory for a year of samples) without holding the store's gate.
            using (var snapshot = FitbitStore.OpenForRead(_store.FilePath))
            using (var rows = snapshot.Run(() => kind.Table.ReadRecords(snapshot.Connection, Profile, range.From, range.To).GetEnumerator(), "read " + kind.Table.Name))
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!snapshot.Run(() => rows.MoveNext(), "read " + kind.Table.Name)) yield break;
                    yield return ReadItem<T>.Of((T)rows.Current);
                }
            }
        }

        private static ExportKind KindOf<T>() =>
            KindTables.ForRecordType(typeof(T)) ?? throw new ExportException(ExportErrorKind.InvalidPath,
                $"The store does not keep {typeof(T).Name} records (it keeps {string.Join(", ", KindTables.Known.Select(k => k.RecordType.Name).Distinct())}). Read these online, without -Path.");

        public void Dispose() => _store.Dispose();
    }
}
