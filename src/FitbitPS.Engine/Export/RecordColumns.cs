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
    }

    internal sealed class RecordColumn<T, TValue> : RecordColumn<T>
    {
        private readonly Func<T, TValue> _get;
        private readonly ValueFormat<TValue> _format;

        public RecordColumn(PropertyInfo property, ValueFormat<TValue> format) : base(property)
        {
            var record = Expression.Parameter(typeof(T), "record");
            _get = Expression.Lambda<Func<T, TValue>>(Expression.Property(record, property), record).Compile();
            _format = format;
        }

        public override void WriteCsv(T record, RowBuffer row) => _format.WriteCsv(_get(record), row);
        public override void WriteJson(T record, RowBuffer row) => _format.WriteJson(_get(record), row);
        public override object GetValue(T record) => _get(record);
        public override object Parse(string text) => _format.Parse(text);
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
        }

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
