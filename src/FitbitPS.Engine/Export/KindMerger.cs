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

        private ExistingRows Open(string path, out string header)
        {
            var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan),
                new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            if (_format == ExportFormat.Csv)
            {
                var csv = new CsvExistingRows(reader, Wanted());
                header = csv.ReadHeader();
                return csv;
            }
            header = null;
            return new JsonExistingRows(reader, Wanted(), _columns.Names);
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
