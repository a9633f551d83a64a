namespace FitbitPS.Engine.Export
{
    /// <summary>File format of an export folder.</summary>
    public enum ExportFormat
    {
        /// <summary>RFC 4180 CSV with one header row, CRLF line ends, invariant culture, ISO 8601 dates.</summary>
        Csv,

        /// <summary>JSON lines: one object per line (LF), the same columns and value text as the CSV.</summary>
        Json,
    }
}
