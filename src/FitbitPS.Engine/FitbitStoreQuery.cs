using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Store;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine
{
    /// <summary>
    /// A read-only SQL query on an export folder's store (Invoke-FitbitQuery): its own read-only connection with
    /// query_only on, so no statement can change the store; parameters bound by name, never pasted into the text.
    /// </summary>
    public static class FitbitStoreQuery
    {
        /// <summary>Runs <paramref name="sql"/>; each row as (column, value) pairs in column order, streamed. Values are long,
        /// double, string, byte[] or null. A parameter "day" binds to @day, $day and :day; a date without a time binds
        /// as yyyy-MM-dd (the store's dates), a date with one as ISO 8601.</summary>
        public static IEnumerable<IReadOnlyList<KeyValuePair<string, object>>> Run(string path, string sql, IDictionary<string, object> parameters,
            CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(sql))
                throw new FitbitInputException(FitbitInputException.InvalidQuery, "The query is empty.", sql, "Give a SELECT statement, e.g. SELECT * FROM daily.");
            using (var store = FitbitStore.OpenForRead(path))
            {
                var connection = store.Connection; // read-only: OpenForRead sets query_only
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = sql;
                    foreach (var pair in parameters ?? new Dictionary<string, object>())
                    {
                        var value = Bindable(pair.Value);
                        string name = pair.Key ?? "";
                        if (name.Length > 0 && "@$:".IndexOf(name[0]) >= 0) command.Parameters.AddWithValue(name, value);
                        else foreach (var prefix in new[] { "@", "$", ":" }) command.Parameters.AddWithValue(prefix + name, value);
                    }
                    SqliteDataReader reader;
                    try { reader = command.ExecuteReader(); }
                    catch (Exception e) when (e is SqliteException || e is InvalidOperationException) { throw Failed(store, sql, e); }
                    using (reader)
                    {
                        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
                        while (true)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var row = new KeyValuePair<string, object>[names.Length];
                            try
                            {
                                if (!reader.Read()) yield break;
                                for (int i = 0; i < names.Length; i++) row[i] = new KeyValuePair<string, object>(names[i], reader.IsDBNull(i) ? null : reader.GetValue(i));
                            }
                            catch (SqliteException e) { throw Failed(store, sql, e); }
                            yield return row;
                        }
                    }
                }
            }
        }

        private static object Bindable(object value)
        {
            switch (value)
            {
                case null: return DBNull.Value;
                case DateTime d: return d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
                case DateTimeOffset o: return o.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
                case bool b: return b ? 1L : 0L;
                case Enum e: return e.ToString();
                default: return value;
            }
        }

        private static Exception Failed(FitbitStore store, string sql, Exception e)
        {
            var message = e is SqliteException s ? s.Message.Replace("SQLite Error " + s.SqliteErrorCode + ": ", "").Trim('\'', ' ', '.') : e.Message.TrimEnd('.');
            if (e is SqliteException sqlite && sqlite.SqliteExtendedErrorCode == 8) // SQLITE_READONLY itself: query_only refused a write
                return new FitbitInputException(FitbitInputException.InvalidQuery,
                    $"Invoke-FitbitQuery only reads the store ({message}). Export-FitbitData is what writes it.", sql, "Use a SELECT (or WITH … SELECT) statement.");
            if (e is SqliteException other && (other.SqliteErrorCode & 0xFF) != 1) return store.Translate(other, "read");
            var tables = string.Join(", ", TableNames(store));
            return new FitbitInputException(FitbitInputException.InvalidQuery, $"The query failed: {message}.", sql,
                $"Check the SQL. The store's tables and views: {tables}.");
        }

        private static IEnumerable<string> TableNames(FitbitStore store)
        {
            var names = new List<string>();
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%' ORDER BY type DESC, name;";
                using (var reader = command.ExecuteReader()) while (reader.Read()) names.Add(reader.GetString(0));
            }
            return names;
        }
    }
}
