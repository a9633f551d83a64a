using System;
using System.Collections.Concurrent;
using System.Globalization;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// How one scalar type is written to CSV and JSON lines, and read back (only key and day
    /// columns are ever read back, to merge a new export into an existing file).
    /// Everything is invariant culture; dates and times are ISO 8601.
    /// </summary>
    internal abstract class ValueFormat<TValue>
    {
        public abstract void WriteCsv(TValue value, RowBuffer row);

        /// <summary>The JSON value: a number, a quoted string, true/false or null.</summary>
        public abstract void WriteJson(TValue value, RowBuffer row);

        /// <summary>Reads back what <see cref="WriteCsv"/> wrote (after CSV unquoting).</summary>
        public abstract TValue Parse(string text);
    }

    internal static class ValueFormats
    {
        /// <summary>The format for a property, or null when the type is not a flat scalar
        /// (collections and nested objects are not columns; they get their own file or none).</summary>
        public static object For(Type type, bool dateOnly)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying != null)
            {
                var inner = For(underlying, dateOnly);
                if (inner == null) return null;
                return Activator.CreateInstance(typeof(NullableFormat<>).MakeGenericType(underlying), inner);
            }
            if (type == typeof(string)) return new StringFormat();
            if (type == typeof(int)) return new Int32Format();
            if (type == typeof(long)) return new Int64Format();
            if (type == typeof(short)) return new Int16Format();
            if (type == typeof(byte)) return new ByteFormat();
            if (type == typeof(uint)) return new UInt32Format();
            if (type == typeof(ulong)) return new UInt64Format();
            if (type == typeof(double)) return new DoubleFormat();
            if (type == typeof(float)) return new SingleFormat();
            if (type == typeof(decimal)) return new DecimalFormat();
            if (type == typeof(bool)) return new BooleanFormat();
            if (type == typeof(DateTime)) return dateOnly ? (object)new DateFormat() : new DateTimeFormat();
            if (type == typeof(DateTimeOffset)) return new DateTimeOffsetFormat();
            if (type == typeof(TimeSpan)) return new TimeSpanFormat();
            if (type == typeof(Guid)) return new GuidFormat();
            if (type.IsEnum) return Activator.CreateInstance(typeof(EnumFormat<>).MakeGenericType(type));
            return null;
        }

        internal static void WriteJsonString(string value, RowBuffer row) => row.Append(JsonConvert.ToString(value));
    }

    internal sealed class NullableFormat<TValue> : ValueFormat<TValue?> where TValue : struct
    {
        private readonly ValueFormat<TValue> _inner;
        public NullableFormat(ValueFormat<TValue> inner) { _inner = inner; }
        public override void WriteCsv(TValue? value, RowBuffer row) { if (value.HasValue) _inner.WriteCsv(value.Value, row); }
        public override void WriteJson(TValue? value, RowBuffer row)
        {
            if (value.HasValue) _inner.WriteJson(value.Value, row); else row.Append("null");
        }
        public override TValue? Parse(string text) => string.IsNullOrEmpty(text) ? (TValue?)null : _inner.Parse(text);
    }

    internal sealed class StringFormat : ValueFormat<string>
    {
        public override void WriteCsv(string value, RowBuffer row) => row.AppendCsvField(value);
        public override void WriteJson(string value, RowBuffer row)
        {
            if (value == null) row.Append("null"); else ValueFormats.WriteJsonString(value, row);
        }
        public override string Parse(string text) => text;
    }

    internal sealed class Int32Format : ValueFormat<int>
    {
        public override void WriteCsv(int value, RowBuffer row) => row.AppendInt64(value);
        public override void WriteJson(int value, RowBuffer row) => row.AppendInt64(value);
        public override int Parse(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class Int64Format : ValueFormat<long>
    {
        public override void WriteCsv(long value, RowBuffer row) => row.AppendInt64(value);
        public override void WriteJson(long value, RowBuffer row) => row.AppendInt64(value);
        public override long Parse(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class Int16Format : ValueFormat<short>
    {
        public override void WriteCsv(short value, RowBuffer row) => row.AppendInt64(value);
        public override void WriteJson(short value, RowBuffer row) => row.AppendInt64(value);
        public override short Parse(string text) => short.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class ByteFormat : ValueFormat<byte>
    {
        public override void WriteCsv(byte value, RowBuffer row) => row.AppendInt64(value);
        public override void WriteJson(byte value, RowBuffer row) => row.AppendInt64(value);
        public override byte Parse(string text) => byte.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class UInt32Format : ValueFormat<uint>
    {
        public override void WriteCsv(uint value, RowBuffer row) => row.AppendUInt64(value);
        public override void WriteJson(uint value, RowBuffer row) => row.AppendUInt64(value);
        public override uint Parse(string text) => uint.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class UInt64Format : ValueFormat<ulong>
    {
        public override void WriteCsv(ulong value, RowBuffer row) => row.AppendUInt64(value);
        public override void WriteJson(ulong value, RowBuffer row) => row.AppendUInt64(value);
        public override ulong Parse(string text) => ulong.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    internal sealed class DoubleFormat : ValueFormat<double>
    {
        public override void WriteCsv(double value, RowBuffer row) => row.AppendDouble(value);
        public override void WriteJson(double value, RowBuffer row)
        {
            // JSON has no NaN/Infinity; write them as strings the way Newtonsoft does.
            if (double.IsNaN(value) || double.IsInfinity(value)) { row.Append('"'); row.AppendDouble(value); row.Append('"'); }
            else row.AppendDouble(value);
        }
        public override double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    internal sealed class SingleFormat : ValueFormat<float>
    {
        public override void WriteCsv(float value, RowBuffer row) => row.AppendSingle(value);
        public override void WriteJson(float value, RowBuffer row)
        {
            if (float.IsNaN(value) || float.IsInfinity(value)) { row.Append('"'); row.AppendSingle(value); row.Append('"'); }
            else row.AppendSingle(value);
        }
        public override float Parse(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    internal sealed class DecimalFormat : ValueFormat<decimal>
    {
        public override void WriteCsv(decimal value, RowBuffer row) => row.AppendDecimal(value);
        public override void WriteJson(decimal value, RowBuffer row) => row.AppendDecimal(value);
        public override decimal Parse(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    internal sealed class BooleanFormat : ValueFormat<bool>
    {
        public override void WriteCsv(bool value, RowBuffer row) => row.Append(value ? "true" : "false");
        public override void WriteJson(bool value, RowBuffer row) => row.Append(value ? "true" : "false");
        public override bool Parse(string text) => bool.Parse(text);
    }

    /// <summary>A civil date (properties named Date or ending in Date): yyyy-MM-dd.</summary>
    internal sealed class DateFormat : ValueFormat<DateTime>
    {
        public override void WriteCsv(DateTime value, RowBuffer row) => row.AppendDate(value);
        public override void WriteJson(DateTime value, RowBuffer row) { row.Append('"'); row.AppendDate(value); row.Append('"'); }
        public override DateTime Parse(string text) =>
            DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    /// <summary>A civil date and time: yyyy-MM-ddTHH:mm:ss[.fffffff]; UTC values get a Z.</summary>
    internal sealed class DateTimeFormat : ValueFormat<DateTime>
    {
        public override void WriteCsv(DateTime value, RowBuffer row)
        {
            row.AppendDateTime(value);
            if (value.Kind == DateTimeKind.Utc) row.Append('Z');
        }
        public override void WriteJson(DateTime value, RowBuffer row) { row.Append('"'); WriteCsv(value, row); row.Append('"'); }
        public override DateTime Parse(string text) =>
            DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    /// <summary>An instant with the person's offset: yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±hh:mm).</summary>
    internal sealed class DateTimeOffsetFormat : ValueFormat<DateTimeOffset>
    {
        public override void WriteCsv(DateTimeOffset value, RowBuffer row) => row.AppendDateTimeOffset(value);
        public override void WriteJson(DateTimeOffset value, RowBuffer row) { row.Append('"'); row.AppendDateTimeOffset(value); row.Append('"'); }
        public override DateTimeOffset Parse(string text) =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    internal sealed class TimeSpanFormat : ValueFormat<TimeSpan>
    {
        public override void WriteCsv(TimeSpan value, RowBuffer row) => row.AppendTimeSpan(value);
        public override void WriteJson(TimeSpan value, RowBuffer row) { row.Append('"'); row.AppendTimeSpan(value); row.Append('"'); }
        public override TimeSpan Parse(string text) => TimeSpan.ParseExact(text, "c", CultureInfo.InvariantCulture);
    }

    internal sealed class GuidFormat : ValueFormat<Guid>
    {
        public override void WriteCsv(Guid value, RowBuffer row) => row.Append(value.ToString("D"));
        public override void WriteJson(Guid value, RowBuffer row) { row.Append('"'); row.Append(value.ToString("D")); row.Append('"'); }
        public override Guid Parse(string text) => Guid.Parse(text);
    }

    /// <summary>Enums by name (as Google writes them), names cached.</summary>
    internal sealed class EnumFormat<TEnum> : ValueFormat<TEnum> where TEnum : struct
    {
        private readonly ConcurrentDictionary<TEnum, string> _names = new ConcurrentDictionary<TEnum, string>();
        private string Name(TEnum value) => _names.GetOrAdd(value, v => v.ToString());
        public override void WriteCsv(TEnum value, RowBuffer row) => row.AppendCsvField(Name(value));
        public override void WriteJson(TEnum value, RowBuffer row) => ValueFormats.WriteJsonString(Name(value), row);
        public override TEnum Parse(string text) => (TEnum)Enum.Parse(typeof(TEnum), text, ignoreCase: false);
    }
}
