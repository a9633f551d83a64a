using System;
using System.Collections.Generic;
using System.IO;
using FitbitPS.Engine.Export;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>What a profile has synced of one kind.</summary>
    internal sealed class SyncEntry
    {
        public string Kind { get; set; }
        public ExportFormat Format { get; set; }
        public DateTime From { get; set; }
        public DateTime LastCompleteDay { get; set; }
        public long RowCount { get; set; }
    }

    /// <summary>The people in a store (profiles, whose Google account each is, where their files go) and what each has
    /// synced per kind.</summary>
    internal static class SyncStates
    {
        /// <summary>
        /// Takes <paramref name="profile"/> into the store, or checks it is the same person as before: a profile that
        /// exported one Google account's data refuses another's (two people never mix under one name). Returns the folder
        /// its files go to: the first profile of a store writes into the folder itself (so a folder of one person looks
        /// as it always did); later ones into a sub-folder named after the profile.
        /// </summary>
        public static string ClaimProfile(FitbitStore store, string profile, string account)
        {
            return store.Run(() =>
            {
                var connection = store.Connection;
                using (var transaction = connection.BeginTransaction(deferred: false))
                {
                    string known = null, folder = null;
                    bool exists = false;
                    using (var command = connection.CreateCommand())
                    {
                        command.Transaction = transaction;
                        command.CommandText = "SELECT health_user_id, files_folder FROM profiles WHERE profile = $p;";
                        command.Parameters.AddWithValue("$p", profile);
                        using (var reader = command.ExecuteReader())
                            if (reader.Read()) { exists = true; known = reader.IsDBNull(0) ? null : reader.GetString(0); folder = reader.GetString(1); }
                    }
                    if (exists) CheckSameAccount(store, profile, known, account);
                    if (!exists)
                    {
                        bool first = Convert.ToInt64(FitbitStore.Scalar(connection, "SELECT count(*) FROM profiles;", transaction)) == 0;
                        folder = first ? "" : FolderName(profile);
                        FitbitStore.Execute(connection, transaction, "INSERT INTO profiles (profile, health_user_id, files_folder, created_at) VALUES ($p, $a, $f, $t);",
                            ("$p", profile), ("$a", account), ("$f", folder), ("$t", FitbitStore.Now()));
                    }
                    else if (known == null && account != null)
                        FitbitStore.Execute(connection, transaction, "UPDATE profiles SET health_user_id = $a WHERE profile = $p;", ("$p", profile), ("$a", account));
                    transaction.Commit();
                    return folder;
                }
            }, "record the profile");
        }

        /// <summary>Refuses an export of <paramref name="account"/> under a profile whose rows are another account's; read-only,
        /// so an export refused for it has written nothing (the exporter asks this before it opens the store to write).</summary>
        public static void CheckAccount(FitbitStore store, string profile, string account)
        {
            if (account == null) return;
            var known = store.Run(() => FitbitStore.Scalar(store.Connection, "SELECT health_user_id FROM profiles WHERE profile = $p;", null, ("$p", profile)) as string, "read");
            CheckSameAccount(store, profile, known, account);
        }

        private static void CheckSameAccount(FitbitStore store, string profile, string known, string account)
        {
            if (account == null || known == null || string.Equals(known, account, StringComparison.Ordinal)) return;
            throw new ExportException(ExportErrorKind.AccountMismatch,
                $"In the store '{store.FilePath}' the profile '{profile}' holds the data of another Google account (Google Health user {known}), " +
                $"and this export is of Google Health user {account}. Nothing was changed. Export each person under their own profile " +
                "(Connect-Fitbit -Profile <name>), or into another folder.", store.FilePath)
            { RecommendedAction = "Sign in under another -Profile for this account, or give this export another -Path." };
        }

        /// <summary>A profile's name as a folder name (characters a file name cannot hold become '_').</summary>
        private static string FolderName(string profile)
        {
            var chars = profile.ToCharArray();
            var invalid = Path.GetInvalidFileNameChars();
            for (int i = 0; i < chars.Length; i++) if (Array.IndexOf(invalid, chars[i]) >= 0 || chars[i] == '\\' || chars[i] == '/') chars[i] = '_';
            var name = new string(chars).Trim();
            return name.Length == 0 || name == "." || name == ".." ? "profile-" + name.Length : name;
        }

        /// <summary>The profiles in the store, oldest first.</summary>
        public static IReadOnlyList<string> Profiles(FitbitStore store) => store.Run(() =>
        {
            var names = new List<string>();
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT profile FROM profiles ORDER BY created_at, profile;";
                using (var reader = command.ExecuteReader()) while (reader.Read()) names.Add(reader.GetString(0));
            }
            return (IReadOnlyList<string>)names;
        }, "read");

        public static IDictionary<string, SyncEntry> Load(FitbitStore store, string profile) => store.Run(() =>
        {
            var entries = new Dictionary<string, SyncEntry>(StringComparer.OrdinalIgnoreCase);
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT kind, format, from_day, last_complete_day, row_count FROM sync_state WHERE profile = $p;";
                command.Parameters.AddWithValue("$p", profile);
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        entries[reader.GetString(0)] = new SyncEntry
                        {
                            Kind = reader.GetString(0),
                            Format = (ExportFormat)Enum.Parse(typeof(ExportFormat), reader.GetString(1)),
                            From = FitbitStore.ParseDay(reader.GetString(2)),
                            LastCompleteDay = FitbitStore.ParseDay(reader.GetString(3)),
                            RowCount = reader.GetInt64(4),
                        };
            }
            return (IDictionary<string, SyncEntry>)entries;
        }, "read");

        /// <summary>Writes a kind's entry (inside the caller's transaction).</summary>
        public static void Save(SqliteConnection connection, SqliteTransaction transaction, string profile, SyncEntry entry) =>
            FitbitStore.Execute(connection, transaction,
                "INSERT INTO sync_state (profile, kind, format, from_day, last_complete_day, row_count) VALUES ($p, $k, $f, $from, $last, $rows) " +
                "ON CONFLICT (profile, kind) DO UPDATE SET format = $f, from_day = $from, last_complete_day = $last, row_count = $rows;",
                ("$p", profile), ("$k", entry.Kind), ("$f", entry.Format.ToString()), ("$from", FitbitStore.Day(entry.From)),
                ("$last", FitbitStore.Day(entry.LastCompleteDay)), ("$rows", entry.RowCount));

        /// <summary>Raises a kind's data version, in the transaction that changed its rows: its file is now behind, whatever
        /// happens to the process before the file is written.</summary>
        public static void Touch(SqliteConnection connection, SqliteTransaction transaction, string profile, string kind) =>
            FitbitStore.Execute(connection, transaction,
                "INSERT INTO kind_versions (profile, kind, data_version) VALUES ($p, $k, 1) ON CONFLICT (profile, kind) DO UPDATE SET data_version = data_version + 1;",
                ("$p", profile), ("$k", kind));

        /// <summary>(data version, version the file was written from, the file's stamp then); (0, -1, null) for a kind
        /// never written.</summary>
        public static (long Data, long File, string Stamp) Versions(FitbitStore store, string profile, string kind) => store.Run(() =>
        {
            using (var command = store.Connection.CreateCommand())
            {
                command.CommandText = "SELECT data_version, file_version, file_stamp FROM kind_versions WHERE profile = $p AND kind = $k;";
                command.Parameters.AddWithValue("$p", profile);
                command.Parameters.AddWithValue("$k", kind);
                using (var reader = command.ExecuteReader())
                    return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : (0L, -1L, (string)null);
            }
        }, "read");

        /// <summary>The kind's file was written from <paramref name="dataVersion"/>; <paramref name="stamp"/> tells it from a
        /// file edited or put there since.</summary>
        public static void FileWritten(FitbitStore store, string profile, string kind, long dataVersion, string stamp) => store.Run(() =>
            FitbitStore.Execute(store.Connection, null,
                "INSERT INTO kind_versions (profile, kind, data_version, file_version, file_stamp) VALUES ($p, $k, $v, $v, $s) " +
                "ON CONFLICT (profile, kind) DO UPDATE SET file_version = $v, file_stamp = $s;",
                ("$p", profile), ("$k", kind), ("$v", dataVersion), ("$s", stamp)),
            "record the file");

        /// <summary>A file's length and last write time (null when there is none).</summary>
        public static string StampOf(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        }

    }
}
