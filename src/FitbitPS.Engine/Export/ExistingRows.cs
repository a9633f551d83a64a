using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// Streams the rows of an existing export file one at a time: the row's exact text (copied
    /// unchanged when the row is kept) and the text of the few fields the merge needs (key, day).
    /// Never holds more than one row.
    /// </summary>
    internal abstract class ExistingRows : IDisposable
    {
        protected ExistingRows(TextReader reader, int[] wanted)
        {
            Reader = reader;
            Wanted = wanted;
            Fields = new string[wanted.Length];
        }

        protected TextReader Reader { get; }

        /// <summary>Column indexes whose text the caller wants, in the order it wants them.</summary>
        protected int[] Wanted { get; }

        /// <summary>Text of the current row (without line terminator).</summary>
        public string Raw { get; protected set; }

        /// <summary>Text of the wanted fields of the current row (unquoted/unescaped).</summary>
        public string[] Fields { get; }

        /// <summary>1-based record number, for error messages.</summary>
        public long RowNumber { get; protected set; }

        public abstract bool Read();

        public void Dispose() => Reader.Dispose();
    }

    /// <summary>RFC 4180 records: fields may be quoted, quoted fields may hold commas, quotes and line breaks.</summary>
    internal sealed class CsvExistingRows : ExistingRows
    {
        private readonly char[] _buffer = new char[64 * 1024];
        private int _pos;
        private int _end;
        private readonly StringBuilder _raw = new StringBuilder(256);
        private readonly StringBuilder _field = new StringBuilder(64);

        public CsvExistingRows(TextReader reader, int[] wanted) : base(reader, wanted) { }

        /// <summary>Reads the header row; returns null for an empty file.</summary>
        public string ReadHeader() => Read() ? Raw : null;

        private bool Fill()
        {
            _end = Reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            return _end > 0;
        }

        public override bool Read()
        {
            _raw.Clear();
            for (int i = 0; i < Fields.Length; i++) Fields[i] = null;
            if (_pos >= _end && !Fill()) return false;

            int fieldIndex = 0;
            bool inQuotes = false;
            bool fieldStart = true;
            bool wasQuoted = false;
            _field.Clear();
            while (true)
            {
                if (_pos >= _end && !Fill())
                {
                    if (inQuotes) throw new FormatException("a quoted field is not closed at the end of the file");
                    StoreField(fieldIndex, wasQuoted);
                    break; // last record without a line terminator
                }
                char c = _buffer[_pos++];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        // "" inside quotes is an escaped quote; a lone " closes the field.
                        if (_pos >= _end) Fill();
                        if (_pos < _end && _buffer[_pos] == '"') { _raw.Append("\"\""); _field.Append('"'); _pos++; continue; }
                        inQuotes = false;
                        _raw.Append('"');
                        continue;
                    }
                    _raw.Append(c); _field.Append(c);
                    continue;
                }
                if (c == '"' && fieldStart) { inQuotes = true; wasQuoted = true; fieldStart = false; _raw.Append(c); continue; }
                if (c == ',')
                {
                    StoreField(fieldIndex++, wasQuoted);
                    _field.Clear(); fieldStart = true; wasQuoted = false;
                    _raw.Append(c);
                    continue;
                }
                if (c == '\r' || c == '\n')
                {
                    if (c == '\r')
                    {
                        if (_pos >= _end) Fill();
                        if (_pos < _end && _buffer[_pos] == '\n') _pos++;
                    }
                    StoreField(fieldIndex, wasQuoted);
                    break;
                }
                fieldStart = false;
                _raw.Append(c); _field.Append(c);
            }
            Raw = _raw.ToString();
            RowNumber++;
            return true;
        }

        private void StoreField(int fieldIndex, bool wasQuoted)
        {
            for (int i = 0; i < Wanted.Length; i++)
                if (Wanted[i] == fieldIndex) Fields[i] = _field.ToString();
        }
    }

    /// <summary>JSON lines: one object per line.</summary>
    internal sealed class JsonExistingRows : ExistingRows
    {
        private readonly string[] _names;

        public JsonExistingRows(TextReader reader, int[] wanted, IReadOnlyList<string> columnNames) : base(reader, wanted)
        {
            _names = new string[wanted.Length];
            for (int i = 0; i < wanted.Length; i++) _names[i] = columnNames[wanted[i]];
        }

        public override bool Read()
        {
            string line = Reader.ReadLine();
            if (line == null) return false;
            RowNumber++;
            Raw = line;
            for (int i = 0; i < Fields.Length; i++) Fields[i] = null;
            using (var json = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal })
            {
                if (!json.Read() || json.TokenType != JsonToken.StartObject)
                    throw new FormatException("the line is not a JSON object");
                while (json.Read() && json.TokenType == JsonToken.PropertyName)
                {
                    string name = (string)json.Value;
                    if (!json.Read()) throw new FormatException("the line ends inside an object");
                    int slot = Array.IndexOf(_names, name);
                    if (slot >= 0)
                    {
                        string text = TokenText(json);
                        for (int i = slot; i < _names.Length; i++) if (_names[i] == name) Fields[i] = text;
                    }
                    else if (json.TokenType == JsonToken.StartObject || json.TokenType == JsonToken.StartArray) json.Skip();
                }
                if (json.TokenType != JsonToken.EndObject) throw new FormatException("the line is not a flat JSON object");
            }
            return true;
        }

        /// <summary>The same text the CSV writer would have produced for the value.</summary>
        private static string TokenText(JsonTextReader json)
        {
            switch (json.TokenType)
            {
                case JsonToken.Null: return "";
                case JsonToken.String: return (string)json.Value;
                case JsonToken.Boolean: return (bool)json.Value ? "true" : "false";
                case JsonToken.Integer:
                case JsonToken.Float: return Convert.ToString(json.Value, CultureInfo.InvariantCulture);
                default: throw new FormatException("unexpected " + json.TokenType + " value");
            }
        }
    }
}

namespace FitbitPS.Engine.Export
{
    /// <summary>A row of an existing export file that cannot be read back (edited by hand, truncated).</summary>
    internal sealed class ExistingFileException : System.Exception
    {
        public ExistingFileException(string path, long row, string problem)
            : base($"{System.IO.Path.GetFileName(path)} (row {row}: {problem})")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
