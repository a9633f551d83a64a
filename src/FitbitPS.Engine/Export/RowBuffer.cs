using System;
using System.Globalization;
using System.IO;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// One output row being built: a growable char buffer with allocation-free writers for the
    /// types records use (integers, dates, times). Rows are written to the file with a single
    /// <see cref="TextWriter.Write(char[], int, int)"/> call, which is what keeps the CSV writer fast.
    /// </summary>
    internal sealed class RowBuffer
    {
        private char[] _chars = new char[512];
        private int _length;

        public int Length => _length;

        public void Clear() => _length = 0;

        public override string ToString() => new string(_chars, 0, _length);

        public void WriteTo(TextWriter writer) => writer.Write(_chars, 0, _length);

        /// <summary>Ordinal equality with a string, without allocating.</summary>
        public bool ContentEquals(string text)
        {
            if (text == null || text.Length != _length) return false;
            for (int i = 0; i < _length; i++)
                if (_chars[i] != text[i]) return false;
            return true;
        }

        private void Grow(int extra)
        {
            int size = Math.Max(_chars.Length * 2, _length + extra);
            Array.Resize(ref _chars, size);
        }

        public void Append(char c)
        {
            if (_length == _chars.Length) Grow(1);
            _chars[_length++] = c;
        }

        public void Append(string s)
        {
            if (s == null) return;
            if (_length + s.Length > _chars.Length) Grow(s.Length);
            s.CopyTo(0, _chars, _length, s.Length);
            _length += s.Length;
        }

        public void AppendInt64(long value)
        {
            if (value < 0)
            {
                if (value == long.MinValue) { Append(value.ToString(CultureInfo.InvariantCulture)); return; }
                Append('-');
                value = -value;
            }
            AppendUInt64((ulong)value);
        }

        public void AppendUInt64(ulong value)
        {
            if (_length + 20 > _chars.Length) Grow(20);
            // Digits backwards into the tail of the buffer, then in place.
            int start = _length;
            do
            {
                _chars[_length++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            Array.Reverse(_chars, start, _length - start);
        }

        private void AppendDigits(int value, int width)
        {
            if (_length + width > _chars.Length) Grow(width);
            for (int i = width - 1; i >= 0; i--)
            {
                _chars[_length + i] = (char)('0' + value % 10);
                value /= 10;
            }
            _length += width;
        }

        /// <summary>yyyy-MM-dd</summary>
        public void AppendDate(DateTime value)
        {
            AppendDigits(value.Year, 4); Append('-'); AppendDigits(value.Month, 2); Append('-'); AppendDigits(value.Day, 2);
        }

        /// <summary>yyyy-MM-ddTHH:mm:ss[.fffffff without trailing zeros]</summary>
        public void AppendDateTime(DateTime value)
        {
            AppendDate(value);
            Append('T');
            AppendDigits(value.Hour, 2); Append(':'); AppendDigits(value.Minute, 2); Append(':'); AppendDigits(value.Second, 2);
            AppendFraction(value.Ticks % TimeSpan.TicksPerSecond);
        }

        /// <summary>ISO 8601 with offset: ...Z for UTC, ...+hh:mm otherwise.</summary>
        public void AppendDateTimeOffset(DateTimeOffset value)
        {
            AppendDateTime(value.DateTime);
            AppendOffset(value.Offset);
        }

        private void AppendOffset(TimeSpan offset)
        {
            if (offset == TimeSpan.Zero) { Append('Z'); return; }
            if (offset < TimeSpan.Zero) { Append('-'); offset = offset.Negate(); }
            else Append('+');
            AppendDigits(offset.Hours, 2); Append(':'); AppendDigits(offset.Minutes, 2);
        }

        private void AppendFraction(long ticks)
        {
            if (ticks == 0) return;
            int digits = 7;
            while (ticks % 10 == 0) { ticks /= 10; digits--; }
            Append('.');
            AppendDigits((int)ticks, digits);
        }

        /// <summary>[-][d.]hh:mm:ss[.fffffff] — TimeSpan's invariant "c" format.</summary>
        public void AppendTimeSpan(TimeSpan value) => Append(value.ToString("c", CultureInfo.InvariantCulture));

        private static readonly long[] s_pow10 = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

        /// <summary>
        /// The shortest text that reads back as the same double. Most record values are whole or have
        /// a few decimals (8.6415 km, 61.5 bpm): those are written digit by digit without allocating —
        /// a value v is written as n/10^k for the smallest k ≤ 6 where v·10^k is the integer n and n/10^k
        /// gives v back exactly (so the text round-trips). Everything else uses "R".
        /// </summary>
        public void AppendDouble(double value)
        {
            if (Math.Abs(value) < 1e9 && !(value == 0 && 1 / value < 0))
            {
                for (int k = 0; k < s_pow10.Length; k++)
                {
                    double scaled = value * s_pow10[k];
                    if (scaled != Math.Floor(scaled)) continue;
                    long n = (long)scaled;
                    if (n / (double)s_pow10[k] != value) break;
                    // v·10^k can miss being whole at a smaller k by a rounding error: drop trailing zeros
                    // (n/10^k and (n/10)/10^(k-1) are the same number, so it still reads back exactly).
                    while (k > 0 && n % 10 == 0) { n /= 10; k--; }
                    if (n < 0) { Append('-'); n = -n; }
                    AppendUInt64((ulong)(n / s_pow10[k]));
                    if (k > 0) { Append('.'); AppendDigits((int)(n % s_pow10[k]), k); }
                    return;
                }
            }
            Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        public void AppendSingle(float value) => Append(value.ToString("R", CultureInfo.InvariantCulture));

        public void AppendDecimal(decimal value) => Append(value.ToString(CultureInfo.InvariantCulture));

        /// <summary>A CSV field per RFC 4180: quoted only when it holds a comma, quote, CR or LF.</summary>
        public void AppendCsvField(string value)
        {
            if (value == null) return;
            bool quote = false;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == ',' || c == '"' || c == '\r' || c == '\n') { quote = true; break; }
            }
            if (!quote) { Append(value); return; }
            Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '"') Append('"');
                Append(c);
            }
            Append('"');
        }
    }
}
