using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FitbitPS.Engine.Export;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>One kind's typed table: the CSV's columns (same names, numbers as numbers, dates and times as their ISO
    /// text) plus the profile, keyed by (profile, day, the kind's key).</summary>
    internal abstract class KindTable
    {
        protected KindTable(ExportKind kind)
        {
            Kind = kind;
            Name = kind.FileStem.Replace('-', '_');
        }

        public ExportKind Kind { get; }

        /// <summary>The table's name: the kind's file name with underscores (sleep-sessions → sleep_sessions).</summary>
        public string Name { get; }

        /// <summary>The SQL column holding the row's civil day (yyyy-MM-dd).</summary>
        public abstract string DayColumn { get; }

        /// <summary>Creates the table when missing, and adds a column for every property a newer version
        /// of the record has (older rows get NULL until the re-parse fills them).</summary>
        public abstract void Ensure(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>Rows of a profile (all of them when the days are null), as records, in key order.</summary>
        public abstract IEnumerable<object> ReadRecords(SqliteConnection connection, string profile, DateTime? from, DateTime? to);

        /// <summary>Writes a profile's rows as the kind's file (CSV with header, or JSON lines); returns the row count.</summary>
        public abstract long WriteFile(SqliteConnection connection, string profile, TextWriter output, ExportFormat format);

        public abstract long Count(SqliteConnection connection, SqliteTransaction transaction, string profile);

        /// <summary>The first and last day of a profile's rows (null: none, or a store made before this kind had a table);
        /// both ends of the primary key, so two index seeks.</summary>
        public (DateTime From, DateTime To)? DayRange(SqliteConnection connection, string profile)
        {
            if (!StoreSchema.HasTable(connection, null, Name)) return null;
            // Two queries, not one: SQLite answers a lone min() or max() with one seek, both together with a scan.
            string Day(string aggregate) =>
                FitbitStore.Scalar(connection, $"SELECT {aggregate}({Quote(DayColumn)}) FROM {Quote(Name)} WHERE \"profile\" = $p;", null, ("$p", profile)) as string;
            var from = Day("min");
            return from == null ? ((DateTime, DateTime)?)null : (FitbitStore.ParseDay(from), FitbitStore.ParseDay(Day("max")));
        }

        internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }

    internal sealed class KindTable<T> : KindTable where T : class
    {
        private const string HiddenDay = "_day";
        private readonly ExportKind<T> _kind;
        private readonly RecordColumns<T> _columns = RecordColumns<T>.Instance;
        private readonly bool _dayIsColumn;
        private readonly string _select, _order;

        public KindTable(ExportKind<T> kind) : base(kind)
        {
            _kind = kind;
            var day = _columns.Columns[kind.DayIndex];
            // A date-only column (Date) is the day itself; a time (a sample's instant) gets a hidden day column.
            _dayIsColumn = day.ValueType == typeof(DateTime) && day.SqlType == "TEXT" && IsDateOnly(day);
            DayColumn = _dayIsColumn ? day.Name : HiddenDay;
            _select = string.Join(", ", _columns.Names.Select(Quote));
            // The key's order, which is the day's order too (ExportKind's contract); instants by their moment, not their text
            // (01:30-04:00 comes before 01:10-05:00 on the night the clocks go back).
            _order = string.Join(", ", new[] { Quote(DayColumn) }.Concat(kind.KeyIndexes.Select(i => _columns.Columns[i])
                .Select(c => c.ValueType == typeof(DateTimeOffset) ? $"julianday({Quote(c.Name)})" : Quote(c.Name))));
        }

        /// <summary>The rule RecordColumns writes dates by: a property named Date or ending in Date is yyyy-MM-dd.</summary>
        private static bool IsDateOnly(RecordColumn<T> column) =>
            column.Name == "Date" || column.Name.EndsWith("Date", StringComparison.Ordinal);

        public override string DayColumn { get; }

        /// <summary>The primary key after the profile: the day, then the kind's key (the day adds nothing to what is unique,
        /// but it puts a day's rows together, so replacing a range of days needs no second index).</summary>
        private IEnumerable<string> KeyColumns =>
            new[] { DayColumn }.Concat(_kind.KeyIndexes.Select(i => _columns.Columns[i].Name)).Distinct(StringComparer.Ordinal);

        /// <summary>A table clustered on its key (WITHOUT ROWID: about half the size of a table plus its key index, which
        /// matters for a year of heart-rate samples) needs key columns that are never NULL; a key with a source name (a
        /// string, possibly missing) keeps SQLite's rowid table.</summary>
        private bool Clustered => _kind.KeyIndexes.All(i =>
        {
            var type = _columns.Columns[i].ValueType;
            return type.IsValueType && Nullable.GetUnderlyingType(type) == null;
        });

        public override void Ensure(SqliteConnection connection, SqliteTransaction transaction)
        {
            var definitions = new List<string> { "\"profile\" TEXT NOT NULL" };
            if (!_dayIsColumn) definitions.Add(Quote(HiddenDay) + " TEXT NOT NULL");
            definitions.AddRange(_columns.Columns.Select(c => Quote(c.Name) + " " + c.SqlType));
            // Key columns may be NULL (a day's row without a source): SQLite keeps such rows distinct, and a re-read range
            // replaces its days whole, so a key is never stored twice anyway.
            FitbitStore.Execute(connection,
                $"CREATE TABLE IF NOT EXISTS {Quote(Name)} ({string.Join(", ", definitions)}, PRIMARY KEY (\"profile\", {string.Join(", ", KeyColumns.Select(Quote))})){(Clustered ? " WITHOUT ROWID" : "")};", transaction);
            var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"PRAGMA table_info({Quote(Name)});";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) existing.Add(reader.GetString(1));
            }
            foreach (var column in _columns.Columns.Where(c => !existing.Contains(c.Name)))
                FitbitStore.Execute(connection, $"ALTER TABLE {Quote(Name)} ADD COLUMN {Quote(column.Name)} {column.SqlType};", transaction);
        }

        private DateTime DayOf(T record) => KindMerging.DayOf(_columns.Columns[_kind.DayIndex].GetValue(record));

        /// <summary>The key as one string (each key column's file text): what "the same row" means when comparing.</summary>
        private string KeyText(T record, RowBuffer buffer)
        {
            buffer.Clear();
            for (int i = 0; i < _kind.KeyIndexes.Length; i++)
            {
                if (i > 0) buffer.Append('\u001f');
                _columns.Columns[_kind.KeyIndexes[i]].WriteCsv(record, buffer);
            }
            return buffer.ToString();
        }

        private string RowText(T record, RowBuffer buffer)
        {
            buffer.Clear();
            _columns.WriteCsvRow(record, buffer);
            return buffer.ToString();
        }

        /// <summary>
        /// Replaces a profile's rows of [from, to] with <paramref name="records"/> (their day in the range; the same key
        /// twice keeps the first in key-then-text order, however the range was split into requests) in one transaction,
        /// with <paramref name="alsoInTransaction"/>; when the rows are already exactly these, only the latter is written.
        /// </summary>
        public MergeCounts Apply(FitbitStore store, string profile, DateTime from, DateTime to, IEnumerable<T> records,
            Action<SqliteConnection, SqliteTransaction, bool> alsoInTransaction)
        {
            var buffer = new RowBuffer();
            var fresh = new List<(object[] Key, string KeyText, string Text, T Record)>();
            if (records != null)
            {
                foreach (var record in records)
                {
                    if (record == null) continue;
                    var day = DayOf(record);
                    if (day < from || day > to) continue;
                    fresh.Add((KeyOf(record), KeyText(record, buffer), RowText(record, buffer), record));
                }
            }
            fresh.Sort((a, b) =>
            {
                int c = KindMerging.CompareKeys(a.Key, b.Key);
                return c != 0 ? c : string.CompareOrdinal(a.Text, b.Text);
            });
            var rows = new List<(string KeyText, string Text, T Record)>(fresh.Count);
            for (int i = 0; i < fresh.Count; i++)
                if (i == 0 || KindMerging.CompareKeys(fresh[i - 1].Key, fresh[i].Key) != 0) rows.Add((fresh[i].KeyText, fresh[i].Text, fresh[i].Record));

            return store.Run(() =>
            {
                var connection = store.Connection;
                var counts = new MergeCounts();
                var existing = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (T old in Read(connection, profile, from, to, ordered: false))
                    existing[KeyText(old, buffer)] = RowText(old, buffer);
                foreach (var row in rows)
                {
                    if (!existing.TryGetValue(row.KeyText, out var text)) counts.Added++;
                    else if (!string.Equals(text, row.Text, StringComparison.Ordinal)) counts.Updated++;
                }
                var keys = new HashSet<string>(rows.Select(r => r.KeyText), StringComparer.Ordinal);
                counts.Removed = existing.Keys.Count(k => !keys.Contains(k));

                using (var transaction = connection.BeginTransaction(deferred: false))
                {
                    if (counts.Changed)
                    {
                        using (var delete = connection.CreateCommand())
                        {
                            delete.Transaction = transaction;
                            delete.CommandText = $"DELETE FROM {Quote(Name)} WHERE \"profile\" = $p AND {Quote(DayColumn)} BETWEEN $from AND $to;";
                            delete.Parameters.AddWithValue("$p", profile);
                            delete.Parameters.AddWithValue("$from", FitbitStore.Day(from));
                            delete.Parameters.AddWithValue("$to", FitbitStore.Day(to));
                            delete.ExecuteNonQuery();
                        }
                        Insert(connection, transaction, profile, rows.Select(r => r.Record));
                    }
                    alsoInTransaction?.Invoke(connection, transaction, counts.Changed);
                    transaction.Commit();
                }
                return counts;
            }, "write " + Name);
        }

        private object[] KeyOf(T record)
        {
            var key = new object[_kind.KeyIndexes.Length];
            for (int i = 0; i < key.Length; i++) key[i] = _columns.Columns[_kind.KeyIndexes[i]].GetValue(record);
            return key;
        }

        /// <summary>Inserts rows with one prepared statement (the bulk of an intraday sync's time).</summary>
        internal void Insert(SqliteConnection connection, SqliteTransaction transaction, string profile, IEnumerable<T> records)
        {
            var columns = _columns.Columns;
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                var names = new List<string> { "\"profile\"" };
                var values = new List<string> { "$p" };
                if (!_dayIsColumn) { names.Add(Quote(HiddenDay)); values.Add("$day"); }
                for (int i = 0; i < columns.Count; i++) { names.Add(Quote(columns[i].Name)); values.Add("$c" + i); }
                insert.CommandText = $"INSERT INTO {Quote(Name)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)});";
                var p = insert.Parameters.Add("$p", SqliteType.Text);
                p.Value = profile;
                SqliteParameter day = _dayIsColumn ? null : insert.Parameters.Add("$day", SqliteType.Text);
                var parameters = new SqliteParameter[columns.Count];
                for (int i = 0; i < columns.Count; i++) parameters[i] = insert.Parameters.Add("$c" + i, SqlTypeOf(columns[i]));
                insert.Prepare();
                foreach (var record in records)
                {
                    if (day != null) day.Value = FitbitStore.Day(DayOf(record));
                    for (int i = 0; i < columns.Count; i++) parameters[i].Value = columns[i].ToSql(record);
                    insert.ExecuteNonQuery();
                }
            }
        }

        private static SqliteType SqlTypeOf(RecordColumn<T> column) =>
            column.SqlType == "INTEGER" ? SqliteType.Integer : column.SqlType == "REAL" ? SqliteType.Real : SqliteType.Text;

        /// <summary>Rows as records. Ordered: the key's order (the file's).</summary>
        internal IEnumerable<T> Read(SqliteConnection connection, string profile, DateTime? from, DateTime? to, bool ordered)
        {
            var create = _columns.Create ?? throw new InvalidOperationException($"{typeof(T).Name} has no parameterless constructor.");
            using (var command = connection.CreateCommand())
            {
                var where = new StringBuilder("\"profile\" = $p");
                command.Parameters.AddWithValue("$p", profile);
                if (from.HasValue) { where.Append($" AND {Quote(DayColumn)} >= $from"); command.Parameters.AddWithValue("$from", FitbitStore.Day(from.Value)); }
                if (to.HasValue) { where.Append($" AND {Quote(DayColumn)} <= $to"); command.Parameters.AddWithValue("$to", FitbitStore.Day(to.Value)); }
                command.CommandText = $"SELECT {_select} FROM {Quote(Name)} WHERE {where}{(ordered ? " ORDER BY " + _order : "")};";
                using (var reader = command.ExecuteReader())
                {
                    var columns = _columns.Columns;
                    while (reader.Read())
                    {
                        var record = create();
                        for (int i = 0; i < columns.Count; i++) columns[i].SetFromSql(record, reader.IsDBNull(i) ? null : reader.GetValue(i));
                        yield return record;
                    }
                }
            }
        }

        public override IEnumerable<object> ReadRecords(SqliteConnection connection, string profile, DateTime? from, DateTime? to) =>
            Read(connection, profile, from, to, ordered: true);

        public override long WriteFile(SqliteConnection connection, string profile, TextWriter output, ExportFormat format)
        {
            var row = new RowBuffer();
            string newline = format == ExportFormat.Csv ? "\r\n" : "\n";
            if (format == ExportFormat.Csv) { output.Write(_columns.CsvHeader); output.Write(newline); }
            long n = 0;
            foreach (var record in Read(connection, profile, null, null, ordered: true))
            {
                row.Clear();
                if (format == ExportFormat.Csv) _columns.WriteCsvRow(record, row); else _columns.WriteJsonRow(record, row);
                row.Append(newline);
                row.WriteTo(output);
                n++;
            }
            return n;
        }

        /// <summary>Reads an older version's export file (streamed, row by row) into the table.</summary>
        public long ImportFile(SqliteConnection connection, SqliteTransaction transaction, string profile, string path, ExportFormat format)
        {
            var create = _columns.Create ?? throw new InvalidOperationException($"{typeof(T).Name} has no parameterless constructor.");
            var all = Enumerable.Range(0, _columns.Columns.Count).ToArray();
            using (var text = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
            {
                ExistingRows rows;
                if (format == ExportFormat.Csv)
                {
                    var csv = new CsvExistingRows(text, all);
                    if (csv.ReadHeader() != _columns.CsvHeader) { csv.Dispose(); return -1; }
                    rows = csv;
                }
                else rows = new JsonExistingRows(text, all, _columns.Names);
                using (rows)
                {
                    long n = 0;
                    IEnumerable<T> Records()
                    {
                        while (rows.Read())
                        {
                            var record = create();
                            for (int i = 0; i < all.Length; i++)
                            {
                                var cell = rows.Fields[i];
                                var column = _columns.Columns[i];
                                // An empty cell is null (the files write null and "" alike); text is the column's own text.
                                column.SetFromSql(record, string.IsNullOrEmpty(cell) ? null : column.SqlType == "TEXT" ? (object)cell : column.Parse(cell));
                            }
                            n++;
                            yield return record;
                        }
                    }
                    try { Insert(connection, transaction, profile, Records()); }
                    catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException || e is InvalidCastException)
                    {
                        throw new ExistingFileException(path, rows.RowNumber, e.Message);
                    }
                    return n;
                }
            }
        }

        public override long Count(SqliteConnection connection, SqliteTransaction transaction, string profile) =>
            Convert.ToInt64(FitbitStore.Scalar(connection, $"SELECT count(*) FROM {Quote(Name)} WHERE \"profile\" = $p;", transaction, ("$p", profile)));

        /// <summary>
        /// The change probe's question: do the probed records (key, day and the probe's columns set) equal the stored rows
        /// of [from, to], key for key and value for value, with no other stored row in those days?
        /// </summary>
        public bool ProbeUnchanged(FitbitStore store, string profile, DateTime from, DateTime to, IEnumerable<T> probed)
        {
            var buffer = new RowBuffer();
            var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var record in probed ?? Enumerable.Empty<T>())
            {
                if (record == null) continue;
                var day = DayOf(record);
                if (day < from || day > to) continue;
                var key = KeyText(record, buffer);
                if (fresh.ContainsKey(key)) return false; // the same key twice: let the full read sort it out
                fresh[key] = record;
            }
            return store.Run(() =>
            {
                int seen = 0;
                foreach (var old in Read(store.Connection, profile, from, to, ordered: false))
                {
                    if (!fresh.TryGetValue(KeyText(old, buffer), out var record)) return false; // a row the server no longer has
                    seen++;
                    foreach (int i in _kind.ProbeIndexes)
                    {
                        var column = _columns.Columns[i];
                        if (!KindMerging.SameValue(column.GetValue(old), column.GetValue(record))) return false;
                    }
                }
                return seen == fresh.Count;
            }, "read " + Name);
        }
    }
}
