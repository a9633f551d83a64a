using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Export
{
    /// <summary>Row counts of one merge.</summary>
    internal sealed class MergeCounts
    {
        public long Added;
        public long Updated;
        public long Removed;
        public long Total;
        public bool Changed => Added + Updated + Removed > 0;
    }

    /// <summary>
    /// Writes the new content of one kind's file: the existing file streamed row by row, merged by
    /// key with freshly read rows (sorted one chunk at a time). Inside the re-read range the fresh
    /// rows are the truth: equal keys are replaced, existing rows the server no longer has are
    /// dropped; outside it existing rows are copied byte for byte. Memory: one chunk of new rows.
    /// </summary>
    internal abstract class KindMerger
    {
        /// <summary>True when the existing file has exactly the columns this version writes
        /// (otherwise the kind is re-exported in full into a fresh file).</summary>
        public abstract bool HasCurrentColumns(string path);

        public abstract string LineTerminator { get; }

        /// <summary>Runs the kind's change probe over [from, to] and compares it with the file's rows
        /// of those days. Unchanged: every probed key is in the file with the same values and the file
        /// has no other row in those days. Rows: all rows of the file (the state's count).</summary>
        public abstract Task<(bool Unchanged, long Rows)> ProbeAsync(string existingPath, DateTime from, DateTime to, CancellationToken cancellationToken);

        public abstract Task<MergeCounts> MergeAsync(string existingPath, TextWriter output, DateTime from, DateTime to,
            Action<DateTime, long> chunkDone, CancellationToken cancellationToken);
    }

    internal sealed class KindMerger<T> : KindMerger where T : class
    {
        private readonly ExportKind<T> _kind;
        private readonly ExportFormat _format;
        private readonly RecordColumns<T> _columns = RecordColumns<T>.Instance;
        private readonly RowBuffer _row = new RowBuffer();

        public KindMerger(ExportKind<T> kind, ExportFormat format)
        {
            _kind = kind;
            _format = format;
        }

        public override string LineTerminator => _format == ExportFormat.Csv ? "\r\n" : "\n";

        private int[] Wanted()
        {
            var wanted = new int[_kind.KeyIndexes.Length + 1];
            Array.Copy(_kind.KeyIndexes, wanted, _kind.KeyIndexes.Length);
            wanted[wanted.Length - 1] = _kind.DayIndex;
            return wanted;
        }

        private ExistingRows Open(string path, out string header) => Open(path, Wanted(), out header);

        private ExistingRows Open(string path, int[] wanted, out string header)
        {
            var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan),
                new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            if (_format == ExportFormat.Csv)
            {
                var csv = new CsvExistingRows(reader, wanted);
                header = csv.ReadHeader();
                return csv;
            }
            header = null;
            return new JsonExistingRows(reader, wanted, _columns.Names);
        }

        public override bool HasCurrentColumns(string path)
        {
            if (_format == ExportFormat.Csv)
            {
                using (var rows = Open(path, out var header))
                    return header == _columns.CsvHeader;
            }
            using (var reader = new StreamReader(path))
            {
                string first = reader.ReadLine();
                if (first == null) return true;
                var names = new List<string>();
                using (var json = new Newtonsoft.Json.JsonTextReader(new StringReader(first)))
                {
                    try
                    {
                        while (json.Read())
                            if (json.TokenType == Newtonsoft.Json.JsonToken.PropertyName && json.Depth == 1) names.Add((string)json.Value);
                    }
                    catch (Newtonsoft.Json.JsonException) { return false; }
                }
                if (names.Count != _columns.Names.Count) return false;
                for (int i = 0; i < names.Count; i++) if (names[i] != _columns.Names[i]) return false;
                return true;
            }
        }

        private string Format(T record)
        {
            _row.Clear();
            if (_format == ExportFormat.Csv) _columns.WriteCsvRow(record, _row);
            else _columns.WriteJsonRow(record, _row);
            return _row.ToString();
        }

        private DateTime DayOf(object value)
        {
            switch (value)
            {
                case DateTime d: return d.Date;
                case DateTimeOffset o: return o.DateTime.Date; // the civil day at the person's offset
                default: throw new FormatException("the row has no day");
            }
        }

        private object[] KeyOf(T record)
        {
            var key = new object[_kind.KeyIndexes.Length];
            for (int i = 0; i < key.Length; i++) key[i] = _columns.Columns[_kind.KeyIndexes[i]].GetValue(record);
            return key;
        }

        internal static int CompareKeys(object[] a, object[] b)
        {
            for (int i = 0; i < a.Length; i++)
            {
                int c = CompareValues(a[i], b[i]);
                if (c != 0) return c;
            }
            return 0;
        }

        private static int CompareValues(object a, object b)
        {
            if (a == null) return b == null ? 0 : -1;
            if (b == null) return 1;
            if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
            return ((IComparable)a).CompareTo(b);
        }

        public override async Task<(bool Unchanged, long Rows)> ProbeAsync(string existingPath, DateTime from, DateTime to, CancellationToken cancellationToken)
        {
            var records = await _kind.Probe(from, to, cancellationToken).ConfigureAwait(false);
            var probed = new List<KeyValuePair<object[], T>>();
            if (records != null)
            {
                foreach (var record in records)
                {
                    if (record == null) continue;
                    var day = DayOf(_columns.Columns[_kind.DayIndex].GetValue(record));
                    if (day >= from && day <= to) probed.Add(new KeyValuePair<object[], T>(KeyOf(record), record));
                }
            }
            probed.Sort((a, b) => CompareKeys(a.Key, b.Key));

            int keys = _kind.KeyIndexes.Length;
            var probe = _kind.ProbeIndexes;
            var wanted = new int[keys + 1 + probe.Length];
            Array.Copy(Wanted(), wanted, keys + 1);
            Array.Copy(probe, 0, wanted, keys + 1, probe.Length);
            bool unchanged = true;
            long rows = 0;
            int next = 0;
            using (var existing = Open(existingPath, wanted, out _))
            {
                while (existing.Read())
                {
                    rows++;
                    if (!unchanged) continue; // only the count is still needed
                    try
                    {
                        var day = DayOf(_columns.Columns[_kind.DayIndex].Parse(existing.Fields[keys] ?? throw new FormatException("a column is missing")));
                        if (day < from || day > to) continue;
                        if (next >= probed.Count) { unchanged = false; continue; } // a row the server no longer has
                        var key = new object[keys];
                        for (int i = 0; i < keys; i++) key[i] = _columns.Columns[_kind.KeyIndexes[i]].Parse(existing.Fields[i] ?? throw new FormatException("a column is missing"));
                        var (probedKey, record) = (probed[next].Key, probed[next].Value);
                        next++;
                        if (CompareKeys(key, probedKey) != 0 || (next < probed.Count && CompareKeys(probedKey, probed[next].Key) == 0)) { unchanged = false; continue; }
                        for (int i = 0; i < probe.Length; i++)
                        {
                            var column = _columns.Columns[probe[i]];
                            if (!SameValue(Parsed(column, existing.Fields[keys + 1 + i]), column.GetValue(record))) { unchanged = false; break; }
                        }
                    }
                    catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException)
                    {
                        unchanged = false; // the full merge reports the damaged row
                    }
                }
            }
            return (unchanged && next == probed.Count, rows);
        }

        private static object Parsed(RecordColumn<T> column, string text) =>
            string.IsNullOrEmpty(text) ? null : column.Parse(text);

        /// <summary>Equal as the file would show them: null and "" are both an empty cell; times must
        /// have the same offset too (DateTimeOffset.Equals compares instants only).</summary>
        private static bool SameValue(object fromFile, object probed)
        {
            if (probed is string s && s.Length == 0) probed = null;
            if (fromFile is string f && f.Length == 0) fromFile = null;
            if (fromFile is DateTimeOffset a && probed is DateTimeOffset b) return a.EqualsExact(b);
            return Equals(fromFile, probed);
        }

        private struct NewRow
        {
            public object[] Key;
            public string Text;
        }

        public override async Task<MergeCounts> MergeAsync(string existingPath, TextWriter output, DateTime from, DateTime to,
            Action<DateTime, long> chunkDone, CancellationToken cancellationToken)
        {
            var counts = new MergeCounts();
            ExistingRows existing = null;
            string newline = LineTerminator;
            try
            {
                if (existingPath != null) existing = Open(existingPath, out _);
                if (_format == ExportFormat.Csv) { output.Write(_columns.CsvHeader); output.Write(newline); }

                object[] eKey = null;
                DateTime eDay = default;
                bool hasExisting = false;

                void Advance()
                {
                    object[] previous = eKey;
                    hasExisting = existing != null && existing.Read();
                    if (!hasExisting) return;
                    try
                    {
                        var key = new object[_kind.KeyIndexes.Length];
                        for (int i = 0; i < key.Length; i++)
                            key[i] = _columns.Columns[_kind.KeyIndexes[i]].Parse(existing.Fields[i] ?? throw new FormatException("a column is missing"));
                        eDay = DayOf(_columns.Columns[_kind.DayIndex].Parse(existing.Fields[key.Length] ?? throw new FormatException("a column is missing")));
                        eKey = key;
                    }
                    catch (Exception e) when (e is FormatException || e is OverflowException || e is ArgumentException)
                    {
                        throw new ExistingFileException(existingPath, existing.RowNumber, e.Message);
                    }
                    if (previous != null && CompareKeys(previous, eKey) >= 0)
                        throw new ExistingFileException(existingPath, existing.RowNumber, "rows are not in key order");
                }

                void EmitExisting()
                {
                    if (eDay >= from && eDay <= to) counts.Removed++; // the server no longer has it
                    else { output.Write(existing.Raw); output.Write(newline); counts.Total++; }
                    Advance();
                }

                Advance();
                object[] lastNewKey = null;
                var chunk = new List<NewRow>();
                int chunkDays = Math.Max(1, _kind.ChunkDays);
                for (DateTime chunkFrom = from; chunkFrom <= to;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    DateTime chunkTo = (to - chunkFrom).TotalDays < chunkDays ? to : chunkFrom.AddDays(chunkDays - 1);
                    var records = await _kind.Fetch(chunkFrom, chunkTo, cancellationToken).ConfigureAwait(false);
                    chunk.Clear();
                    if (records != null)
                    {
                        foreach (var record in records)
                        {
                            if (record == null) continue;
                            var day = DayOf(_columns.Columns[_kind.DayIndex].GetValue(record));
                            if (day < chunkFrom || day > chunkTo) continue;
                            chunk.Add(new NewRow { Key = KeyOf(record), Text = Format(record) });
                        }
                    }
                    // Key, then text: duplicates (same key twice in the answer) resolve the same way
                    // however the range was split into requests.
                    chunk.Sort((a, b) =>
                    {
                        int c = CompareKeys(a.Key, b.Key);
                        return c != 0 ? c : string.CompareOrdinal(a.Text, b.Text);
                    });
                    for (int i = 0; i < chunk.Count; i++)
                    {
                        var row = chunk[i];
                        if (lastNewKey != null && CompareKeys(lastNewKey, row.Key) >= 0)
                        {
                            if (i > 0 && CompareKeys(chunk[i - 1].Key, row.Key) == 0) continue; // duplicate key
                            throw new InvalidOperationException($"The {_kind.Name} rows of {chunkFrom:yyyy-MM-dd}..{chunkTo:yyyy-MM-dd} sort before rows of an earlier day; its key and day properties disagree.");
                        }
                        while (hasExisting && CompareKeys(eKey, row.Key) < 0) EmitExisting();
                        if (hasExisting && CompareKeys(eKey, row.Key) == 0)
                        {
                            if (!string.Equals(existing.Raw, row.Text, StringComparison.Ordinal)) counts.Updated++;
                            Advance();
                        }
                        else counts.Added++;
                        output.Write(row.Text); output.Write(newline);
                        counts.Total++;
                        lastNewKey = row.Key;
                    }
                    chunkDone?.Invoke(chunkTo, counts.Total);
                    if (chunkTo >= to) break;
                    chunkFrom = chunkTo.AddDays(1);
                }
                while (hasExisting) EmitExisting();
                return counts;
            }
            finally
            {
                existing?.Dispose();
            }
        }
    }

    /// <summary>An existing export file this version cannot merge into (edited by hand, truncated…).</summary>
    internal sealed class ExistingFileException : Exception
    {
        public ExistingFileException(string path, long row, string problem)
            : base($"'{path}' row {row}: {problem}")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
