using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// One kind of record the exporter writes to its own file (weight, daily activity, sleep
    /// sessions, …): where its rows come from, and how rows are identified (key) and dated (day).
    /// </summary>
    internal abstract class ExportKind
    {
        private protected ExportKind(string name, string fileStem)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A kind needs a name.", nameof(name));
            if (string.IsNullOrWhiteSpace(fileStem) || fileStem.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
                throw new ArgumentException("A kind needs a file name stem that is a valid file name.", nameof(fileStem));
            Name = name;
            FileStem = fileStem;
        }

        /// <summary>What a user calls the kind (the -DataType value), e.g. Weight, Sleep.</summary>
        public string Name { get; }

        /// <summary>The file name without extension, e.g. weight, sleep-sessions.</summary>
        public string FileStem { get; }

        /// <summary>Minute-level or raw samples: exported only when asked for.</summary>
        public bool Intraday { get; set; }

        /// <summary>How many days one fetch covers. Daily kinds fetch the whole range at once
        /// (a few thousand rows at most); intraday kinds fetch a few days at a time so memory stays
        /// flat however long the range is. Pick it so a chunk is a whole number of API requests.</summary>
        public int ChunkDays { get; set; } = int.MaxValue;

        public abstract Type RecordType { get; }

        /// <summary>The column names, in file order.</summary>
        public abstract IReadOnlyList<string> Columns { get; }

        public string FileName(ExportFormat format) => FileStem + (format == ExportFormat.Csv ? ".csv" : ".jsonl");

        /// <summary>True when an incremental run first asks a cheaper question (see
        /// <see cref="ExportKind{T}.WithChangeProbe"/>) before reading every data type.</summary>
        public abstract bool HasChangeProbe { get; }

        /// <summary>The kind's table in the store.</summary>
        internal abstract Store.KindTable Table { get; }

        /// <summary>The civil day a record of this kind belongs to.</summary>
        internal abstract DateTime DayOf(object record);

        /// <summary>Makes the store's rows of [from, to] exactly <paramref name="records"/> (records of this kind read from
        /// elsewhere than the API, e.g. a Takeout archive); see <see cref="Store.KindTable{T}.Apply"/>.</summary>
        internal abstract MergeCounts Apply(Store.FitbitStore store, string profile, DateTime from, DateTime to, IEnumerable<object> records,
            Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool> alsoInTransaction);

        /// <summary>Reads [from, to] and makes the store's rows of those days exactly what was read (one transaction, which
        /// also runs <paramref name="alsoInTransaction"/>, told whether the rows changed).</summary>
        internal abstract Task<MergeCounts> ReadIntoAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to,
            Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool> alsoInTransaction, CancellationToken cancellationToken);

        /// <summary>Reads [from, to] chunk by chunk (<see cref="ChunkDays"/>) into the store: each chunk replaces its days in one
        /// transaction (with <paramref name="alsoInTransaction"/>'s work for its days), after <paramref name="beforeCommit"/>
        /// (the chunk's raw answers are kept first). The next chunk is read while the previous one is written.</summary>
        internal abstract Task<MergeCounts> SyncAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to,
            Func<DateTime, DateTime, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool>> alsoInTransaction,
            Func<Task> beforeCommit, Action<DateTime, MergeCounts> chunkDone, CancellationToken cancellationToken);

        /// <summary>Runs the change probe over [from, to]: true when the store's rows of those days are what it sees.</summary>
        internal abstract Task<bool> ProbeUnchangedAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to, CancellationToken cancellationToken);

        /// <summary>Loads a file an older FitbitPS exported (same columns) into the store; returns the rows, or -1 when the
        /// file's columns are not this version's (then it is left out and re-read).</summary>
        internal abstract long ImportFile(Store.FitbitStore store, Microsoft.Data.Sqlite.SqliteTransaction transaction, string profile, string path, ExportFormat format);

        public override string ToString() => Name;
    }

    /// <summary>An export kind for records of type <typeparamref name="T"/>.</summary>
    internal sealed class ExportKind<T> : ExportKind where T : class
    {
        /// <param name="name">What a user calls the kind (the -DataType value).</param>
        /// <param name="fileStem">File name without extension.</param>
        /// <param name="fetch">Reads the records whose day lies in [from, to] (civil days, both
        /// inclusive). Rows outside the range are ignored, order does not matter.</param>
        /// <param name="dayProperty">The property giving the civil day a row belongs to (a date,
        /// a civil date-time or a DateTimeOffset in the person's offset). The trailing window and
        /// -From/-To work on it.</param>
        /// <param name="keyProperties">Properties that identify a row; a newer row with the same key
        /// replaces the older one. Must sort in the same order as the day.</param>
        public ExportKind(string name, string fileStem,
            Func<DateTime, DateTime, CancellationToken, Task<IEnumerable<T>>> fetch,
            string dayProperty, params string[] keyProperties)
            : base(name, fileStem)
        {
            Fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
            var columns = RecordColumns<T>.Instance;
            DayIndex = columns.IndexOf(dayProperty);
            if (DayIndex < 0) throw new ArgumentException($"{typeof(T).Name} has no exported property '{dayProperty}'.", nameof(dayProperty));
            var dayType = columns.Columns[DayIndex].ValueType;
            if (dayType != typeof(DateTime) && dayType != typeof(DateTimeOffset))
                throw new ArgumentException($"The day property '{dayProperty}' must be a DateTime or DateTimeOffset.", nameof(dayProperty));
            if (keyProperties == null || keyProperties.Length == 0) throw new ArgumentException("A kind needs at least one key property.", nameof(keyProperties));
            KeyIndexes = new int[keyProperties.Length];
            for (int i = 0; i < keyProperties.Length; i++)
            {
                KeyIndexes[i] = columns.IndexOf(keyProperties[i]);
                if (KeyIndexes[i] < 0) throw new ArgumentException($"{typeof(T).Name} has no exported property '{keyProperties[i]}'.", nameof(keyProperties));
                if (!typeof(IComparable).IsAssignableFrom(Nullable.GetUnderlyingType(columns.Columns[KeyIndexes[i]].ValueType) ?? columns.Columns[KeyIndexes[i]].ValueType))
                    throw new ArgumentException($"The key property '{keyProperties[i]}' is not comparable.", nameof(keyProperties));
            }
        }

        internal Func<DateTime, DateTime, CancellationToken, Task<IEnumerable<T>>> Fetch { get; }

        /// <summary>
        /// Adds a change probe: on an incremental run (same last complete day as the file's state
        /// entry), <paramref name="probe"/> reads the trailing window cheaply (one data type instead of
        /// all the kind is built from) and returns records with the key, the day and
        /// <paramref name="columns"/> set. When they equal the file's rows of those days, key for key
        /// and value for value, nothing has synced since the file was written and the full read is
        /// skipped (the file is left untouched). Pick a data type that every sync changes.
        /// </summary>
        public ExportKind<T> WithChangeProbe(Func<DateTime, DateTime, CancellationToken, Task<IEnumerable<T>>> probe, params string[] columns)
        {
            Probe = probe ?? throw new ArgumentNullException(nameof(probe));
            if (columns == null || columns.Length == 0) throw new ArgumentException("A change probe compares at least one column.", nameof(columns));
            var all = RecordColumns<T>.Instance;
            ProbeIndexes = new int[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                ProbeIndexes[i] = all.IndexOf(columns[i]);
                if (ProbeIndexes[i] < 0) throw new ArgumentException($"{typeof(T).Name} has no exported property '{columns[i]}'.", nameof(columns));
            }
            return this;
        }

        internal Func<DateTime, DateTime, CancellationToken, Task<IEnumerable<T>>> Probe { get; private set; }
        internal int[] ProbeIndexes { get; private set; }
        public override bool HasChangeProbe => Probe != null;
        internal int DayIndex { get; }
        internal int[] KeyIndexes { get; }

        public override Type RecordType => typeof(T);
        public override IReadOnlyList<string> Columns => RecordColumns<T>.Instance.Names;

        private Store.KindTable<T> _table;

        internal override Store.KindTable Table => TypedTable;

        internal Store.KindTable<T> TypedTable => _table ?? (_table = new Store.KindTable<T>(this));

        internal override DateTime DayOf(object record) => KindMerging.DayOf(RecordColumns<T>.Instance.Columns[DayIndex].GetValue((T)record));

        internal override MergeCounts Apply(Store.FitbitStore store, string profile, DateTime from, DateTime to, IEnumerable<object> records,
            Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool> alsoInTransaction) =>
            TypedTable.Apply(store, profile, from, to, records.Cast<T>(), alsoInTransaction);

        internal override async Task<MergeCounts> ReadIntoAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to,
            Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool> alsoInTransaction, CancellationToken cancellationToken)
        {
            var records = await Fetch(from, to, cancellationToken).ConfigureAwait(false);
            return TypedTable.Apply(store, profile, from, to, records, alsoInTransaction);
        }

        internal override async Task<MergeCounts> SyncAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to,
            Func<DateTime, DateTime, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, bool>> alsoInTransaction,
            Func<Task> beforeCommit, Action<DateTime, MergeCounts> chunkDone, CancellationToken cancellationToken)
        {
            var chunks = new List<(DateTime From, DateTime To)>();
            int days = Math.Max(1, ChunkDays);
            for (DateTime f = from; f <= to;)
            {
                DateTime t = (to - f).TotalDays < days ? to : f.AddDays(days - 1);
                chunks.Add((f, t));
                if (t >= to) break;
                f = t.AddDays(1);
            }
            Task<List<T>> ReadChunk(int i) => Task.Run(async () =>
            {
                var records = await Fetch(chunks[i].From, chunks[i].To, cancellationToken).ConfigureAwait(false);
                return records == null ? new List<T>() : records.ToList();
            }, cancellationToken);

            var counts = new MergeCounts();
            var next = ReadChunk(0);
            try
            {
                for (int i = 0; i < chunks.Count; i++)
                {
                    var rows = await next.ConfigureAwait(false);
                    next = i + 1 < chunks.Count ? ReadChunk(i + 1) : null; // the network works while the store writes
                    if (beforeCommit != null) await beforeCommit().ConfigureAwait(false);
                    var (f, t) = chunks[i];
                    counts.Add(TypedTable.Apply(store, profile, f, t, rows, alsoInTransaction(f, t)));
                    chunkDone?.Invoke(t, counts);
                }
            }
            catch
            {
                next?.ContinueWith(r => r.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed: the run fails with the first error
                throw;
            }
            return counts;
        }

        internal override async Task<bool> ProbeUnchangedAsync(Store.FitbitStore store, string profile, DateTime from, DateTime to, CancellationToken cancellationToken)
        {
            var records = await Probe(from, to, cancellationToken).ConfigureAwait(false);
            return TypedTable.ProbeUnchanged(store, profile, from, to, records);
        }

        internal override long ImportFile(Store.FitbitStore store, Microsoft.Data.Sqlite.SqliteTransaction transaction, string profile, string path, ExportFormat format) =>
            TypedTable.ImportFile(store.Connection, transaction, profile, path, format);
    }
}
