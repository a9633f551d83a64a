using System.Collections.Generic;
using System.IO;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// Writes records as CSV or JSON lines exactly as the exporter's files hold them (columns =
    /// public scalar properties in declaration order, accessors compiled once per type). For
    /// callers that want a file of records without the folder, state and merge machinery.
    /// </summary>
    internal static class ExportWriter
    {
        /// <summary>Header row, then one CRLF-terminated row per record. Returns the row count.</summary>
        public static long WriteCsv<T>(TextWriter output, IEnumerable<T> records) => Write(output, records, csv: true);

        /// <summary>One JSON object per LF-terminated line. Returns the row count.</summary>
        public static long WriteJsonLines<T>(TextWriter output, IEnumerable<T> records) => Write(output, records, csv: false);

        /// <summary>The CSV header this version writes for <typeparamref name="T"/>.</summary>
        public static string CsvHeader<T>() => RecordColumns<T>.Instance.CsvHeader;

        /// <summary>The column names this version writes for <typeparamref name="T"/>.</summary>
        public static IReadOnlyList<string> Columns<T>() => RecordColumns<T>.Instance.Names;

        private static long Write<T>(TextWriter output, IEnumerable<T> records, bool csv)
        {
            var columns = RecordColumns<T>.Instance;
            var row = new RowBuffer();
            if (csv) { output.Write(columns.CsvHeader); output.Write("\r\n"); }
            long n = 0;
            foreach (var record in records)
            {
                row.Clear();
                if (csv) { columns.WriteCsvRow(record, row); row.Append('\r'); row.Append('\n'); }
                else { columns.WriteJsonRow(record, row); row.Append('\n'); }
                row.WriteTo(output);
                n++;
            }
            return n;
        }
    }
}
