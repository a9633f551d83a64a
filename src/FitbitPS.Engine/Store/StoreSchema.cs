using System;
using System.Collections.Generic;
using System.Linq;
using FitbitPS.Engine.Export;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// The store's schema: its version (PRAGMA user_version), the steps from each older version, and the tables every
    /// version has. A store written by a newer FitbitPS is refused before anything is read or written. Kind tables follow
    /// the record types: a property added in a later version becomes a new column (filled by the re-parse of the raw
    /// answers, <see cref="ParserVersion"/>).
    /// </summary>
    internal static class StoreSchema
    {
        /// <summary>The schema this version writes.</summary>
        public const int CurrentVersion = 1;

        /// <summary>The version of the code that turns API answers into records. Raise it with every change to a parser or
        /// a record type: the next export re-derives the typed tables from the raw answers (zero requests).</summary>
        public const int ParserVersion = 1;

        /// <summary>From version n to n+1 (none yet: version 1 is the first store).</summary>
        private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> s_steps = new Dictionary<int, Action<SqliteConnection, SqliteTransaction>>();

        private const string Base = @"
CREATE TABLE IF NOT EXISTS profiles (
  profile TEXT PRIMARY KEY,          -- the FitbitPS profile (Connect-Fitbit -Profile)
  health_user_id TEXT,               -- whose data it is: another Google account is refused under this profile
  files_folder TEXT NOT NULL,        -- where its CSV/JSON-lines files go, relative to the folder ('' = the folder itself)
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sync_state (
  profile TEXT NOT NULL, kind TEXT NOT NULL,
  format TEXT NOT NULL,              -- Csv or Json: the derived file's format
  from_day TEXT NOT NULL,            -- first day synced
  last_complete_day TEXT NOT NULL,   -- last day that was over when it was read
  row_count INTEGER NOT NULL,
  PRIMARY KEY (profile, kind));
CREATE TABLE IF NOT EXISTS kind_versions (
  profile TEXT NOT NULL, kind TEXT NOT NULL,
  data_version INTEGER NOT NULL DEFAULT 0,   -- raised in the same transaction as every change of the kind's rows
  file_version INTEGER NOT NULL DEFAULT -1,  -- the data_version the derived file was last written from
  file_stamp TEXT,                           -- its length and time then: a file edited or replaced since is written again
  PRIMARY KEY (profile, kind));
CREATE TABLE IF NOT EXISTS fetches (
  id INTEGER PRIMARY KEY,            -- replay order
  profile TEXT NOT NULL, kind TEXT NOT NULL,
  from_day TEXT NOT NULL, to_day TEXT NOT NULL,
  clock TEXT NOT NULL,               -- the 'now' the read ran with (replays run with it too)
  fetched_at TEXT NOT NULL,
  parser_version INTEGER NOT NULL,
  settings BLOB);                    -- the settings answer (time zone) the read ran with, gzip: its replay gets the same
CREATE INDEX IF NOT EXISTS fetches_by_kind ON fetches (profile, kind, id);
CREATE TABLE IF NOT EXISTS raw_answers (
  profile TEXT NOT NULL,
  request_key TEXT NOT NULL,         -- method, path and query (and body) of the request: the replay looks it up
  method TEXT NOT NULL, path TEXT NOT NULL, body TEXT,
  data_type TEXT,                    -- e.g. heart-rate, from the path; NULL for settings, profile, identity
  fetched_at TEXT NOT NULL,
  size INTEGER NOT NULL,             -- bytes before compression
  content BLOB NOT NULL,             -- the answer's body, gzip
  PRIMARY KEY (profile, request_key));
";

        /// <summary>Brings the store to the current version and makes sure every kind has its table; one transaction, which
        /// also proves the store can be written.</summary>
        public static void Upgrade(FitbitStore store, IEnumerable<ExportKind> kinds)
        {
            var connection = store.Connection;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                int version = Version(connection, transaction);
                CheckNotNewer(store, version);
                if (version == 0 && HasUserTables(connection, transaction) && !HasTable(connection, transaction, "sync_state"))
                    throw NotAStore(store);
                FitbitStore.Execute(connection, Base, transaction);
                for (int v = Math.Max(version, 1); v < CurrentVersion; v++) s_steps[v](connection, transaction);
                var all = KindTables.All(kinds);
                foreach (var table in all) table.Ensure(connection, transaction);
                StoreViews.Create(connection, transaction);
                if (version != CurrentVersion) FitbitStore.Execute(connection, $"PRAGMA user_version = {CurrentVersion};", transaction);
                transaction.Commit();
            }
        }

        /// <summary>For read-only use: a store from a newer version, or a file that is not a store, is refused.</summary>
        public static void CheckReadable(FitbitStore store)
        {
            int version = Version(store.Connection, null);
            CheckNotNewer(store, version);
            // An empty file: an export is creating the store right now, or one was stopped before its first commit.
            if (version == 0 && !HasUserTables(store.Connection, null))
                throw new ExportException(ExportErrorKind.StoreNotFound,
                    $"The store '{store.FilePath}' holds nothing yet (an export is creating it, or was stopped before it wrote anything). " +
                    "Run Export-FitbitData -Path <folder> (again).", store.FilePath)
                { RecommendedAction = "Run Export-FitbitData -Path <folder>, then read the folder offline." };
            if (!HasTable(store.Connection, null, "sync_state")) throw NotAStore(store);
        }

        private static int Version(SqliteConnection connection, SqliteTransaction transaction) =>
            Convert.ToInt32(FitbitStore.Scalar(connection, "PRAGMA user_version;", transaction));

        internal static void CheckNotNewer(FitbitStore store, int version)
        {
            if (version > CurrentVersion)
                throw new ExportException(ExportErrorKind.StoreFromNewerVersion,
                    $"The store '{store.FilePath}' was written by a newer FitbitPS (store schema {version}; this version understands up to {CurrentVersion}). " +
                    "Update the FitbitPS module (Update-Module FitbitPS), or use another folder. Nothing was changed.", store.FilePath)
                { RecommendedAction = "Update the FitbitPS module to the version that wrote this store, or use another folder." };
        }

        private static bool HasUserTables(SqliteConnection connection, SqliteTransaction transaction) =>
            Convert.ToInt64(FitbitStore.Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table';", transaction)) > 0;

        internal static bool HasTable(SqliteConnection connection, SqliteTransaction transaction, string name) =>
            Convert.ToInt64(FitbitStore.Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $n;", transaction, ("$n", name))) > 0;

        private static ExportException NotAStore(FitbitStore store) =>
            new ExportException(ExportErrorKind.StoreDamaged,
                $"'{store.FilePath}' is an SQLite database but not a FitbitPS store. It was left as it is; move it away or choose another folder.", store.FilePath)
            { RecommendedAction = $"Move '{store.FilePath}' away, or give Export-FitbitData another -Path." };
    }
}
