using System;
using System.Collections.Generic;
using System.IO;
using FitbitPS.Engine.Records;

namespace FitbitPS.Engine.Api.Wire
{
    /// <summary>
    /// The hot path of raw heart rate: a list page of 10,000 heartRate points (≈ 3.4 MB) read straight
    /// from its UTF-8 bytes into <see cref="HeartRateSample"/> records.
    /// Why not Newtonsoft here: JsonTextReader only tokenizes such a page at ≈ 40 MB/s on our 2-core
    /// machine (≈ 125k points/s, before any work), far from the 1M points/s per core target; and
    /// System.Text.Json is not an option in a module PowerShell 7 also loads it into (version clash).
    /// The scanner accepts exactly the shape Google sends (discovery: ListDataPointsResponse of
    /// HeartRate) and declines anything else — an escape in a string, an unknown member, odd
    /// syntax — by returning false, and the caller then parses the page with <see cref="DataPointReader"/>
    /// (Newtonsoft). Equal dataSource objects (byte for byte) are decoded once per page.
    /// </summary>
    internal static class HeartRatePageScanner
    {
        private static readonly byte[] KDataPoints = Bytes("dataPoints"), KNextPageToken = Bytes("nextPageToken"),
            KDataSource = Bytes("dataSource"), KHeartRate = Bytes("heartRate"), KName = Bytes("name"), KDataPointName = Bytes("dataPointName"),
            KSampleTime = Bytes("sampleTime"), KPhysicalTime = Bytes("physicalTime"), KUtcOffset = Bytes("utcOffset"),
            KCivilTime = Bytes("civilTime"), KDate = Bytes("date"), KYear = Bytes("year"), KMonth = Bytes("month"), KDay = Bytes("day"),
            KBeatsPerMinute = Bytes("beatsPerMinute"), KMetadata = Bytes("metadata");

        private static byte[] Bytes(string s) => System.Text.Encoding.ASCII.GetBytes(s);

        /// <summary>Parses a page into <paramref name="samples"/> in server order (newest first).
        /// False (and nothing added) when the page is not the plain shape; use the general reader then.</summary>
        public static bool TryParse(byte[] page, List<HeartRateSample> samples, out string nextPageToken)
            => TryParse(page, page.Length, samples, out nextPageToken);

        /// <summary>The same over the first <paramref name="length"/> bytes of a (pooled) buffer.</summary>
        public static bool TryParse(byte[] page, int length, List<HeartRateSample> samples, out string nextPageToken)
        {
            nextPageToken = null;
            var start = samples.Count;
            var s = new Scanner(page, length);
            try
            {
                if (s.ParsePage(samples, out nextPageToken)) return true;
            }
            catch (FormatException) { }
            catch (IndexOutOfRangeException) { }
            catch (ArgumentOutOfRangeException) { }
            samples.RemoveRange(start, samples.Count - start);
            nextPageToken = null;
            return false;
        }

        private struct Scanner
        {
            private readonly byte[] _b;
            private readonly int _n; // the page's length: a pooled buffer may be longer
            private int _i;
            private int _lastSourceStart, _lastSourceLength;
            private string _lastSource;
            // Consecutive samples share their date: remember the last one (position of its "yyyy-MM-dd").
            private int _lastDayAt;
            private long _lastDayTicks;
            private int _lastCivilKey;
            private DateTime _lastCivil;

            public Scanner(byte[] bytes, int length)
            {
                if (length < 0 || length > bytes.Length) throw new ArgumentOutOfRangeException(nameof(length));
                _b = bytes; _n = length; _i = 0; _lastSourceStart = -1; _lastSourceLength = 0; _lastSource = null;
                _lastDayAt = -1; _lastDayTicks = 0; _lastCivilKey = 0; _lastCivil = default(DateTime);
            }

            public bool ParsePage(List<HeartRateSample> into, out string next)
            {
                next = null;
                Ws();
                if (!Take((byte)'{')) return false;
                if (Peek() == '}') { _i++; return End(); }
                do
                {
                    if (!Key(out int ks, out int kl)) return false;
                    if (Is(ks, kl, KDataPoints))
                    {
                        if (!Take((byte)'[')) return false;
                        if (Peek() == ']') { _i++; }
                        else
                        {
                            do { if (!Point(into)) return false; } while (Comma());
                            if (!Take((byte)']')) return false;
                        }
                    }
                    else if (Is(ks, kl, KNextPageToken))
                    {
                        if (!String(out int vs, out int vl)) return false;
                        next = vl == 0 ? null : System.Text.Encoding.UTF8.GetString(_b, vs, vl);
                    }
                    else return false;
                } while (Comma());
                return Take((byte)'}') && End();
            }

            private bool End() { Ws(); return _i == _n; }

            private bool Point(List<HeartRateSample> into)
            {
                if (!Take((byte)'{')) return false;
                string source = null;
                bool hasSample = false;
                var sample = new HeartRateSample();
                if (Peek() == '}') return false;
                do
                {
                    if (!Key(out int ks, out int kl)) return false;
                    if (Is(ks, kl, KDataSource))
                    {
                        Ws();
                        int vs = _i;
                        // Usually the same bytes as the previous point's source: compare, don't re-scan.
                        if (_lastSourceStart >= 0 && vs + _lastSourceLength < _n && Equal(vs, _lastSourceStart, _lastSourceLength)
                            && (_b[vs + _lastSourceLength] == ',' || _b[vs + _lastSourceLength] == '}'))
                        {
                            _i = vs + _lastSourceLength;
                            source = _lastSource;
                        }
                        else
                        {
                            if (!Skip()) return false;
                            source = Source(vs, _i - vs);
                        }
                    }
                    else if (Is(ks, kl, KHeartRate))
                    {
                        if (!HeartRate(sample)) return false;
                        hasSample = true;
                    }
                    else if (Is(ks, kl, KName) || Is(ks, kl, KDataPointName))
                    {
                        if (!Skip()) return false;
                    }
                    else return false; // another member: not a heart-rate point
                } while (Comma());
                if (!Take((byte)'}') || !hasSample) return false;
                sample.Source = source;
                into.Add(sample);
                return true;
            }

            private string Source(int start, int length)
            {
                if (_lastSourceStart >= 0 && length == _lastSourceLength && Equal(start, _lastSourceStart, length)) return _lastSource;
                DataSource parsed;
                using (var ms = new MemoryStream(_b, start, length, false))
                using (var text = new StreamReader(ms))
                using (var reader = new Newtonsoft.Json.JsonTextReader(text))
                    parsed = DataPointReader.Serializer.Deserialize<DataSource>(reader);
                _lastSourceStart = start; _lastSourceLength = length; _lastSource = parsed?.Describe();
                return _lastSource;
            }

            private bool Equal(int a, int b, int length)
            {
                var bytes = _b;
                for (int k = 0; k < length; k++) if (bytes[a + k] != bytes[b + k]) return false;
                return true;
            }

            private bool HeartRate(HeartRateSample sample)
            {
                if (!Take((byte)'{')) return false;
                bool time = false, bpm = false;
                do
                {
                    if (!Key(out int ks, out int kl)) return false;
                    if (Is(ks, kl, KSampleTime)) { if (!SampleTime(sample)) return false; time = true; }
                    else if (Is(ks, kl, KBeatsPerMinute)) { if (!Int(out long v)) return false; sample.BeatsPerMinute = (int)v; bpm = true; }
                    else if (Is(ks, kl, KMetadata)) { if (!Skip()) return false; }
                    else return false;
                } while (Comma());
                return Take((byte)'}') && time && bpm;
            }

            private bool SampleTime(HeartRateSample sample)
            {
                if (!Take((byte)'{')) return false;
                long utcTicks = -1; long offsetSeconds = long.MinValue; int year = 0, month = 0, day = 0;
                do
                {
                    if (!Key(out int ks, out int kl)) return false;
                    if (Is(ks, kl, KPhysicalTime))
                    {
                        if (!String(out int vs, out int vl) || !Timestamp(vs, vl, out utcTicks)) return false;
                    }
                    else if (Is(ks, kl, KUtcOffset))
                    {
                        if (!String(out int vs, out int vl) || !Seconds(vs, vl, out offsetSeconds)) return false;
                    }
                    else if (Is(ks, kl, KCivilTime))
                    {
                        if (!Civil(out year, out month, out day)) return false;
                    }
                    else return false;
                } while (Comma());
                if (!Take((byte)'}') || utcTicks < 0 || offsetSeconds == long.MinValue) return false;
                if (offsetSeconds % 60 != 0 || offsetSeconds > 14 * 3600 || offsetSeconds < -14 * 3600) return false;
                var offset = TimeSpan.FromTicks(offsetSeconds * TimeSpan.TicksPerSecond);
                var local = new DateTimeOffset(utcTicks + offset.Ticks, offset);
                sample.Time = local;
                // The person's calendar day: Google's civil date when present, else physical time + offset.
                if (year > 0)
                {
                    var key = (year << 9) | (month << 5) | day;
                    if (key != _lastCivilKey) { _lastCivil = new DateTime(year, month, day); _lastCivilKey = key; }
                    sample.Date = _lastCivil;
                }
                else sample.Date = local.Date;
                return true;
            }

            private bool Civil(out int year, out int month, out int day)
            {
                year = month = day = 0;
                if (!Take((byte)'{')) return false;
                if (Peek() == '}') { _i++; return true; }
                do
                {
                    if (!Key(out int ks, out int kl)) return false;
                    if (Is(ks, kl, KDate))
                    {
                        if (!Take((byte)'{')) return false;
                        if (Peek() != '}')
                        {
                            do
                            {
                                if (!Key(out int ds, out int dl) || !Int(out long v)) return false;
                                if (Is(ds, dl, KYear)) year = (int)v;
                                else if (Is(ds, dl, KMonth)) month = (int)v;
                                else if (Is(ds, dl, KDay)) day = (int)v;
                                else return false;
                            } while (Comma());
                        }
                        if (!Take((byte)'}')) return false;
                    }
                    else if (!Skip()) return false; // time of day: the record keeps the physical time
                } while (Comma());
                if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return false;
                return Take((byte)'}');
            }

            // ---------------------------------------------------------------- lexing

            private void Ws()
            {
                var b = _b;
                while (_i < _n)
                {
                    var c = b[_i];
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') _i++;
                    else break;
                }
            }

            private byte Peek() { Ws(); return _i < _n ? _b[_i] : (byte)0; }

            private bool Take(byte c)
            {
                Ws();
                if (_i < _n && _b[_i] == c) { _i++; return true; }
                return false;
            }

            private bool Comma() => Take((byte)',');

            private bool Key(out int start, out int length)
            {
                if (!String(out start, out length)) return false;
                return Take((byte)':');
            }

            /// <summary>A string without escapes (content start/length); false on an escape.</summary>
            private bool String(out int start, out int length)
            {
                start = length = 0;
                if (!Take((byte)'"')) return false;
                var b = _b;
                int k = _i;
                while (true)
                {
                    if (k >= _n) return false; // the page ends inside a string: truncated
                    var c = b[k];
                    if (c == '"') break;
                    if (c == '\\' || c < 0x20) return false;
                    k++;
                }
                start = _i; length = k - _i; _i = k + 1;
                return true;
            }

            private bool Is(int start, int length, byte[] name)
            {
                if (length != name.Length) return false;
                var b = _b;
                for (int k = 0; k < length; k++) if (b[start + k] != name[k]) return false;
                return true;
            }

            /// <summary>An integer given as a JSON number or (int64) a JSON string.</summary>
            private bool Int(out long value)
            {
                value = 0;
                Ws();
                bool quoted = _i < _n && _b[_i] == '"';
                if (quoted) _i++;
                bool negative = _i < _n && _b[_i] == '-';
                if (negative) _i++;
                int digits = 0;
                while (_i < _n && _b[_i] >= '0' && _b[_i] <= '9' && digits < 18) { value = value * 10 + (_b[_i] - '0'); _i++; digits++; }
                if (digits == 0) return false;
                if (negative) value = -value;
                if (quoted) { if (_b[_i] != '"') return false; _i++; }
                else if (_i < _n && (_b[_i] == '.' || _b[_i] == 'e' || _b[_i] == 'E' || (_b[_i] >= '0' && _b[_i] <= '9'))) return false;
                return true;
            }

            /// <summary>"-14400s" → seconds (whole seconds only).</summary>
            private bool Seconds(int start, int length, out long seconds)
            {
                seconds = 0;
                if (length < 2 || _b[start + length - 1] != 's') return false;
                int k = start, end = start + length - 1;
                bool negative = _b[k] == '-';
                if (negative) k++;
                if (k == end) return false;
                for (; k < end; k++)
                {
                    var c = _b[k];
                    if (c < '0' || c > '9') return false;
                    seconds = seconds * 10 + (c - '0');
                }
                if (negative) seconds = -seconds;
                return true;
            }

            /// <summary>"yyyy-MM-ddTHH:mm:ss[.fffffffff]Z" → UTC ticks.</summary>
            private bool Timestamp(int s, int length, out long ticks)
            {
                ticks = -1;
                var b = _b;
                if (length < 20 || b[s + length - 1] != 'Z' || b[s + 4] != '-' || b[s + 7] != '-' || b[s + 10] != 'T' || b[s + 13] != ':' || b[s + 16] != ':') return false;
                long dayTicks;
                if (_lastDayAt >= 0 && Equal(s, _lastDayAt, 10)) dayTicks = _lastDayTicks;
                else
                {
                    int year = D(s) * 1000 + D(s + 1) * 100 + D(s + 2) * 10 + D(s + 3), month = D(s + 5) * 10 + D(s + 6), day = D(s + 8) * 10 + D(s + 9);
                    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
                    dayTicks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
                    _lastDayAt = s; _lastDayTicks = dayTicks;
                }
                int hour = D(s + 11) * 10 + D(s + 12), minute = D(s + 14) * 10 + D(s + 15), second = D(s + 17) * 10 + D(s + 18);
                if (hour > 23 || minute > 59 || second > 59) return false;
                long fraction = 0;
                if (length > 20)
                {
                    if (b[s + 19] != '.') return false;
                    int scale = 0;
                    for (int k = s + 20; k < s + length - 1; k++)
                    {
                        int d = D(k);
                        if (scale < 7) { fraction = fraction * 10 + d; scale++; }
                    }
                    for (; scale < 7; scale++) fraction *= 10;
                }
                ticks = dayTicks + (hour * 3600L + minute * 60L + second) * TimeSpan.TicksPerSecond + fraction;
                return true;
            }

            private int D(int k)
            {
                int d = _b[k] - '0';
                if ((uint)d > 9) throw new FormatException();
                return d;
            }

            /// <summary>Skips any JSON value (strings may hold escapes here).</summary>
            private bool Skip()
            {
                Ws();
                var b = _b;
                if (_i >= b.Length) return false;
                byte c = b[_i];
                if (c == '"')
                {
                    _i++;
                    while (true)
                    {
                        if (_i >= _n) return false;
                        c = b[_i++];
                        if (c == '\\') _i++;
                        else if (c == '"') return true;
                    }
                }
                if (c == '{' || c == '[')
                {
                    int depth = 0;
                    while (true)
                    {
                        if (_i >= _n) return false;
                        c = b[_i++];
                        if (c == '"')
                        {
                            while (true)
                            {
                                if (_i >= _n) return false;
                                var d = b[_i++];
                                if (d == '\\') _i++;
                                else if (d == '"') break;
                            }
                        }
                        else if (c == '{' || c == '[') depth++;
                        else if (c == '}' || c == ']') { if (--depth == 0) return true; }
                    }
                }
                // number or literal
                int start = _i;
                while (_i < _n)
                {
                    c = b[_i];
                    if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
                    _i++;
                }
                return _i > start;
            }
        }
    }
}
