using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Export
{
    /// <summary>One column: a record property, with a compiled getter and its value format.</summary>
    internal abstract class RecordColumn<T>
    {
        protected RecordColumn(PropertyInfo property)
        {
            Name = property.Name;
            ValueType = property.PropertyType;
            JsonName = JsonConvert.ToString(property.Name) + ":";
        }

        public string Name { get; }
        public Type ValueType { get; }

        /// <summary>"Name": already escaped, written before each JSON value.</summary>
        public string JsonName { get; }

        public abstract void WriteCsv(T record, RowBuffer row);
        public abstract void WriteJson(T record, RowBuffer row);

        /// <summary>The value as a comparable object (only for key and day columns).</summary>
        public abstract object GetValue(T record);

        /// <summary>Reads a value back from the text the writer produced.</summary>
        public abstract object Parse(string text);

        /// <summary>The store's column type: INTEGER (whole numbers, booleans), REAL (floating point) or TEXT
        /// (strings; dates, times and everything else as the text the CSV holds, so SQL sorts and compares ISO dates).</summary>
        public abstract string SqlType { get; }

        /// <summary>The value as the store keeps it (DBNull for null).</summary>
        public abstract object ToSql(T record);

        /// <summary>Sets the property from a value the store gave back (long, double, string or DBNull).</summary>
        public abstract void SetFromSql(T record, object value);
    }

    internal sealed class RecordColumn<T, TValue> : RecordColumn<T>
    {
        private readonly Func<T, TValue> _get;
        private readonly ValueFormat<TValue> _format;

        private static readonly Type s_underlying = Nullable.GetUnderlyingType(typeof(TValue)) ?? typeof(TValue);
        private readonly Action<T, TValue> _set;
        private readonly SqlKind _sql;
        [ThreadStatic] private static RowBuffer t_text;

        private enum SqlKind { Integer, Boolean, Real, Single, String, Text }

        public RecordColumn(PropertyInfo property, ValueFormat<TValue> format) : base(property)
        {
            var record = Expression.Parameter(typeof(T), "record");
            _get = Expression.Lambda<Func<T, TValue>>(Expression.Property(record, property), record).Compile();
            var setter = property.GetSetMethod(nonPublic: true);
            if (setter != null)
            {
                var value = Expression.Parameter(typeof(TValue), "value");
                _set = Expression.Lambda<Action<T, TValue>>(Expression.Call(record, setter, value), record, value).Compile();
            }
            _format = format;
            var u = s_underlying;
            _sql = u == typeof(bool) ? SqlKind.Boolean
                : u == typeof(int) || u == typeof(long) || u == typeof(short) || u == typeof(byte) || u == typeof(uint) || u == typeof(ulong) ? SqlKind.Integer
                : u == typeof(double) ? SqlKind.Real
                : u == typeof(float) ? SqlKind.Single
                : u == typeof(string) ? SqlKind.String
                : SqlKind.Text; // dates, times, enums, decimals, GUIDs: the CSV's own text
        }

        public override void WriteCsv(T record, RowBuffer row) => _format.WriteCsv(_get(record), row);
        public override void WriteJson(T record, RowBuffer row) => _format.WriteJson(_get(record), row);
        public override object GetValue(T record) => _get(record);
        public override object Parse(string text) => _format.Parse(text);

        public override string SqlType =>
            _sql == SqlKind.Integer || _sql == SqlKind.Boolean ? "INTEGER" : _sql == SqlKind.Real || _sql == SqlKind.Single ? "REAL" : "TEXT";

        public override object ToSql(T record)
        {
            object value = _get(record);
            if (value == null) return DBNull.Value;
            switch (_sql)
            {
                case SqlKind.Boolean: return (bool)value ? 1L : 0L;
                case SqlKind.Integer: return value is ulong big ? unchecked((long)big) : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                case SqlKind.Real: return (double)value;
                case SqlKind.Single: return (double)(float)value;
                case SqlKind.String: return value;
                default:
                    var text = t_text ?? (t_text = new RowBuffer());
                    text.Clear();
                    _format.WriteCsv((TValue)value, text);
                    return text.ToString();
            }
        }

        public override void SetFromSql(T record, object value)
        {
            if (_set == null) throw new InvalidOperationException($"{typeof(T).Name}.{Name} cannot be set.");
            if (value == null || value is DBNull) { _set(record, default(TValue)); return; }
            object typed;
            switch (_sql)
            {
                case SqlKind.Boolean: typed = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0; break;
                case SqlKind.Integer:
                    typed = s_underlying == typeof(ulong) && value is long l ? unchecked((ulong)l)
                        : Convert.ChangeType(value, s_underlying, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case SqlKind.Real: typed = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case SqlKind.Single: typed = (float)Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case SqlKind.String: typed = value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: _set(record, _format.Parse(value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))); return;
            }
            _set(record, (TValue)typed);
        }
    }

    /// <summary>
    /// The columns of a record type: its public readable scalar properties in declaration order
    /// (base class first). Built once per type and cached; writing a row calls compiled getters,
    /// no reflection per row.
    /// </summary>
    internal sealed class RecordColumns<T>
    {
        private static readonly Lazy<RecordColumns<T>> s_instance = new Lazy<RecordColumns<T>>(() => new RecordColumns<T>());

        public static RecordColumns<T> Instance => s_instance.Value;

        private RecordColumns()
        {
            var columns = new List<RecordColumn<T>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in DeclaredProperties(typeof(T)))
            {
                if (!seen.Add(property.Name)) continue; // an override or 'new' of a base property
                if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetGetMethod() == null) continue;
                bool dateOnly = property.Name == "Date" || property.Name.EndsWith("Date", StringComparison.Ordinal);
                var format = ValueFormats.For(property.PropertyType, dateOnly);
                if (format == null) continue; // collections and nested objects are not columns
                var columnType = typeof(RecordColumn<,>).MakeGenericType(typeof(T), property.PropertyType);
                columns.Add((RecordColumn<T>)Activator.CreateInstance(columnType, property, format));
            }
            if (columns.Count == 0)
                throw new ArgumentException($"{typeof(T).Name} has no public scalar properties to export.");
            Columns = columns;
            Names = columns.Select(c => c.Name).ToArray();
            var header = new RowBuffer();
            for (int i = 0; i < columns.Count; i++)
            {
                if (i > 0) header.Append(',');
                header.AppendCsvField(columns[i].Name);
            }
            CsvHeader = header.ToString();
            var ctor = typeof(T).GetConstructor(Type.EmptyTypes);
            if (ctor != null) Create = Expression.Lambda<Func<T>>(Expression.New(ctor)).Compile();
        }

        /// <summary>A new empty record (null when <typeparamref name="T"/> has no parameterless constructor).</summary>
        public Func<T> Create { get; }

        public IReadOnlyList<RecordColumn<T>> Columns { get; }
        public IReadOnlyList<string> Names { get; }
        public string CsvHeader { get; }

        public int IndexOf(string name)
        {
            for (int i = 0; i < Columns.Count; i++)
                if (Columns[i].Name == name) return i;
            return -1;
        }

        public void WriteCsvRow(T record, RowBuffer row)
        {
            var columns = Columns;
            for (int i = 0; i < columns.Count; i++)
            {
                if (i > 0) row.Append(',');
                columns[i].WriteCsv(record, row);
            }
        }

        public void WriteJsonRow(T record, RowBuffer row)
        {
            var columns = Columns;
            row.Append('{');
            for (int i = 0; i < columns.Count; i++)
            {
                if (i > 0) row.Append(',');
                row.Append(columns[i].JsonName);
                columns[i].WriteJson(record, row);
            }
            row.Append('}');
        }

        private static IEnumerable<PropertyInfo> DeclaredProperties(Type type)
        {
            // Declaration order: metadata tokens follow source order within a type; base types first.
            var chain = new List<Type>();
            for (var t = type; t != null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);
            foreach (var t in chain)
            {
                foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                                   .OrderBy(p => p.MetadataToken))
                    yield return p;
            }
        }
    }
}
