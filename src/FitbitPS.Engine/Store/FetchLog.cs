using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>One read of a kind's days that was applied to its table: what a re-parse replays, in order.</summary>
    internal sealed class FetchEntry
    {
        public long Id { get; set; }
        public string Kind { get; set; }
        public DateTime From { get; set; }
        public DateTime To { get; set; }
        public DateTimeOffset Clock { get; set; }
        public int ParserVersion { get; set; }

        /// <summary>The settings answer the read ran with (gzip), or null.</summary>
        public byte[] Settings { get; set; }
    }

    /// <summary>The reads applied to each kind's table. A read that covers an older one's days whole supersedes it (the
    /// older one is dropped), so the log stays about as long as the number of distinct ranges read.</summary>
    internal static class FetchLog
    {
        public static void Add(SqliteConnection connection, SqliteTransaction transaction, string profile, string kind, DateTime from, DateTime to, DateTimeOffset clock)
        {
            FitbitStore.Execute(connection, transaction,
                "DELETE FROM fetches WHERE profile = $p AND kind = $k AND from_day >= $from AND to_day <= $to;",
                ("$p", profile), ("$k", kind), ("$from", FitbitStore.Day(from)), ("$to", FitbitStore.Day(to)));
            FitbitStore.Execute(connection, transaction,
                "INSERT INTO fetches (profile, kind, from_day, to_day, clock, fetched_at, parser_version, settings) VALUES ($p, $k, $from, $to, $c, $at, $v, " +
                "(SELECT content FROM raw_answers WHERE profile = $p AND request_key = '" + Export.Exporter.RawSettingsKey + "'));",
                ("$p", profile), ("$k", kind), ("$from", FitbitStore.Day(from)), ("$to", FitbitStore.Day(to)),
                ("$c", clock.ToString("o", CultureInfo.InvariantCulture)), ("$at", FitbitStore.Now()), ("$v", StoreSchema.ParserVersion));
        }

        public static IReadOnlyList<FetchEntry> List(FitbitStore store, string profile, string kind) => store.Run(() =>
        {
            var entries = new List<FetchEntry>();
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT id, kind, from_day, to_day, clock, parser_version, settings FROM fetches WHERE profile = $p AND kind = $k ORDER BY id;";
                command.Parameters.AddWithValue("$p", profile);
                command.Parameters.AddWithValue("$k", kind);
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        entries.Add(new FetchEntry
                        {
                            Id = reader.GetInt64(0),
                            Kind = reader.GetString(1),
                            From = FitbitStore.ParseDay(reader.GetString(2)),
                            To = FitbitStore.ParseDay(reader.GetString(3)),
                            Clock = DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                            ParserVersion = reader.GetInt32(5),
                            Settings = reader.IsDBNull(6) ? null : (byte[])reader.GetValue(6),
                        });
            }
            return (IReadOnlyList<FetchEntry>)entries;
        }, "read");

        /// <summary>Kinds of a profile with reads parsed by an older parser (they need a re-parse).</summary>
        public static IReadOnlyList<string> Outdated(FitbitStore store, string profile) => store.Run(() =>
        {
            var kinds = new List<string>();
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT DISTINCT kind FROM fetches WHERE profile = $p AND parser_version < $v ORDER BY kind;";
                command.Parameters.AddWithValue("$p", profile);
                command.Parameters.AddWithValue("$v", StoreSchema.ParserVersion);
                using (var reader = command.ExecuteReader()) while (reader.Read()) kinds.Add(reader.GetString(0));
            }
            return (IReadOnlyList<string>)kinds;
        }, "read");

        /// <summary>Forgets a kind's reads and makes its next sync read its days again (a re-parse that cannot run).</summary>
        public static void Reset(SqliteConnection connection, SqliteTransaction transaction, string profile, string kind)
        {
            FitbitStore.Execute(connection, transaction, "DELETE FROM fetches WHERE profile = $p AND kind = $k;", ("$p", profile), ("$k", kind));
            FitbitStore.Execute(connection, transaction, "UPDATE sync_state SET last_complete_day = date(from_day, '-1 day') WHERE profile = $p AND kind = $k;",
                ("$p", profile), ("$k", kind));
        }

        public static void MarkParsed(SqliteConnection connection, SqliteTransaction transaction, long id) =>
            FitbitStore.Execute(connection, transaction, "UPDATE fetches SET parser_version = $v WHERE id = $id;", ("$v", StoreSchema.ParserVersion), ("$id", id));
    }
}
