using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>A small RFC 4180 reader (quoted fields with commas, quotes and line breaks; Google's exercise files quote
    /// JSON in a column), one row at a time.</summary>
    internal sealed class TakeoutCsv
    {
        private readonly TextReader _reader;
        private readonly StringBuilder _field = new StringBuilder();

        public TakeoutCsv(TextReader reader) { _reader = reader; }

        public long Row { get; private set; }

        /// <summary>The next row's fields, or null at the end.</summary>
        public List<string> Read()
        {
            int c = _reader.Read();
            while (c == '\r' || c == '\n') c = _reader.Read(); // blank lines
            if (c < 0) return null;
            var fields = new List<string>();
            _field.Clear();
            bool quoted = false;
            while (true)
            {
                if (quoted)
                {
                    if (c < 0) break;
                    if (c == '"')
                    {
                        if (_reader.Peek() == '"') { _field.Append('"'); _reader.Read(); }
                        else quoted = false;
                    }
                    else _field.Append((char)c);
                }
                else if (c == '"' && _field.Length == 0) quoted = true;
                else if (c == ',') { fields.Add(_field.ToString()); _field.Clear(); }
                else if (c == '\n' || c == '\r' || c < 0)
                {
                    if (c == '\r' && _reader.Peek() == '\n') _reader.Read();
                    break;
                }
                else _field.Append((char)c);
                c = _reader.Read();
            }
            fields.Add(_field.ToString());
            Row++;
            return fields;
        }
    }
}
