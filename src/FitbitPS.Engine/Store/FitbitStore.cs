using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FitbitPS.Engine.Export;
using FitbitPS.Engine.TokenStore;
using Microsoft.Data.Sqlite;

namespace FitbitPS.Engine.Store
{
    /// <summary>
    /// The store of an export folder: one SQLite file (<see cref="FileName"/>) holding, per profile, the typed records of
    /// every kind, the raw API answers they were parsed from, and what each kind has synced. It is the source of truth
    /// of the folder; the CSV/JSON-lines files are derived from it. Crash safety and one writer at a time are SQLite's
    /// (WAL, transactions, busy timeout): a write either commits whole or never happened.
    /// One connection per store object, used under <see cref="Gate"/> (a SqliteConnection is not thread-safe and the
    /// kinds of an export write from several threads).
    /// </summary>
    internal sealed class FitbitStore : IDisposable
    {
        /// <summary>The store's file name inside an export folder.</summary>
        public const string FileName = "fitbitps.db";

        /// <summary>The profile name rows get when the connection has none (bare tokens: tests, bench).</summary>
        public const string DefaultProfile = "default";

        private readonly SqliteConnection _connection;

        private FitbitStore(string path, SqliteConnection connection, bool readOnly)
        {
            FilePath = path;
            _connection = connection;
            ReadOnly = readOnly;
        }

        public string FilePath { get; }
        public string Folder => Path.GetDirectoryName(FilePath);
        public bool ReadOnly { get; }

        /// <summary>Held around every use of <see cref="Connection"/>.</summary>
        public object Gate { get; } = new object();

        internal SqliteConnection Connection => _connection;

        /// <summary>The store file for a folder (its <see cref="FileName"/>) or a path that names the file itself.</summary>
        public static string PathOf(string folderOrFile)
        {
            if (string.IsNullOrWhiteSpace(folderOrFile)) throw new ArgumentException("Give the export folder (or its store file).", nameof(folderOrFile));
            var full = Path.GetFullPath(folderOrFile);
            return File.Exists(full) ? full : Path.Combine(full, FileName);
        }

        /// <summary>Opens (creating when missing) the store of an export folder for writing, at the current schema.</summary>
        public static FitbitStore OpenForWrite(string folder, IEnumerable<ExportKind> kinds)
        {
            string path = Path.Combine(folder, FileName);
            bool created = !File.Exists(path);
            if (created) CreatePrivateFile(path);
            FitbitStore store = null;
            try
            {
                store = Open(path, readOnly: false);
                store.Run(() => StoreSchema.Upgrade(store, kinds), "prepare");
                return store;
            }
            catch
            {
                store?.Dispose();
                // An empty file left behind would read as "not a store" to every later command.
                if (created) DeleteFiles(path);
                throw;
            }
        }

        /// <summary>Removes a store file with SQLite's companions (only ever one this process just created).</summary>
        internal static void DeleteFiles(string path)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) ExportFolder.TryDelete(path + suffix);
        }

        /// <summary>Opens an existing store read-only (offline reads, queries): a folder without one is an error.</summary>
        public static FitbitStore OpenForRead(string folderOrFile)
        {
            string path = PathOf(folderOrFile);
            if (!File.Exists(path))
                throw new ExportException(ExportErrorKind.StoreNotFound,
                    $"There is no FitbitPS store at '{path}'. Give the folder Export-FitbitData writes (it holds {FileName}), or run Export-FitbitData -Path <folder> first.", path)
                { RecommendedAction = "Run Export-FitbitData -Path <folder> once, then read that folder offline." };
            var store = Open(path, readOnly: true);
            try
            {
                store.Run(() => StoreSchema.CheckReadable(store), "read");
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        private static FitbitStore Open(string path, bool readOnly)
        {
            // Readers open read-write with query_only on (no statement can write): after an export was killed, the first reader
            // must be able to recover SQLite's write-ahead log, which a read-only connection cannot. A store on read-only media
            // opens as such anyway (SQLite falls back by itself).
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false, // the file is closed when the store is: folders can be moved, deleted, copied
                DefaultTimeout = 30,
            };
            var connection = new SqliteConnection(builder.ToString());
            var store = new FitbitStore(path, connection, readOnly);
            try
            {
                store.Run(() =>
                {
                    connection.Open();
                    // A second writer waits this long for the first one's transaction (they are short: one chunk).
                    Execute(connection, "PRAGMA busy_timeout = 10000;");
                    if (readOnly) Execute(connection, "PRAGMA query_only = 1;");
                    // A store of a newer version is refused before anything is written (even a journal mode).
                    StoreSchema.CheckNotNewer(store, Convert.ToInt32(Scalar(connection, "PRAGMA user_version;")));
                    if (!readOnly)
                    {
                        // SQLite opens a file it may not write read-only without a word: say so now, before anything is read.
                        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                            throw new ExportException(ExportErrorKind.FolderNotWritable,
                                $"The store '{path}' is read-only (the file, its folder or the disk). Make it writable, or export into another folder; nothing was changed.", path)
                            { RecommendedAction = $"Check the permissions of '{path}' and its folder (it needs to be writable to export into it)." };
                        try
                        {
                            Execute(connection, "PRAGMA busy_timeout = 1000;");
                            Execute(connection, "PRAGMA journal_mode = WAL;");
                            Execute(connection, "PRAGMA synchronous = NORMAL;"); // WAL: durable at checkpoints, never corrupt
                        }
                        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) == 5)
                        {
                            // Only a store of an older layout in rollback-journal mode, with a reader holding it, lands here: the
                            // rollback journal is as safe, only readers then wait for each chunk's commit. (The store stays in WAL
                            // once set: readers open read-write with query_only, and the last one to close removes -wal and -shm.)
                        }
                        Execute(connection, "PRAGMA busy_timeout = 10000;");
                    }
                    Execute(connection, "PRAGMA foreign_keys = ON;");
                }, "open");
                return store;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>The store file is the person's health data: readable by its owner only (SQLite gives its -wal and
        /// -shm files the same mode).</summary>
        private static void CreatePrivateFile(string path)
        {
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
                UnixFile.TryChmod(path, UnixFile.UserReadWrite);
            }
            catch (IOException) when (File.Exists(path)) { } // another process created it first
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                if (e is IOException io && ExportFolder.IsDiskFull(io))
                    throw new ExportException(ExportErrorKind.DiskFull, $"The disk holding '{path}' is full. Free some space and run the export again; nothing was changed.", path, e);
                throw new ExportException(ExportErrorKind.FolderNotWritable,
                    $"Cannot create the store '{path}' ({e.Message}). Check that the folder is not read-only and that you may write to it; nothing was changed.", path, e);
            }
        }

        internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction transaction = null)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        }

        /// <summary>One statement with bound parameters (inside the caller's transaction, or none).</summary>
        internal static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                command.ExecuteNonQuery();
            }
        }

        internal static object Scalar(SqliteConnection connection, string sql, SqliteTransaction transaction = null, params (string Name, object Value)[] parameters)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                return command.ExecuteScalar();
            }
        }

        /// <summary>Runs <paramref name="work"/> under the gate; SQLite's errors become one clear export error each.</summary>
        public void Run(Action work, string what) => Run(() => { work(); return true; }, what);

        public TResult Run<TResult>(Func<TResult> work, string what)
        {
            try
            {
                lock (Gate) return work();
            }
            catch (SqliteException e)
            {
                throw Translate(e, what);
            }
        }

        /// <summary>One error per cause, saying what happened to the data (nothing: a failed write is rolled back).</summary>
        internal ExportException Translate(SqliteException e, string what)
        {
            int primary = e.SqliteErrorCode & 0xFF;
            // A full disk can also show as an I/O error (WAL's shared memory, or a write that cannot grow the file).
            if (primary == 10 && AlmostNoSpaceLeft()) primary = 13;
            switch (primary)
            {
                case 5: // SQLITE_BUSY
                case 6: // SQLITE_LOCKED
                    return new ExportException(ExportErrorKind.FolderBusy,
                        $"The store '{FilePath}' stayed busy: another export is writing it, or a long read of it (Get-Fitbit* -Path, Invoke-FitbitQuery) held it while this one wanted to write. What was written before stays; run it again when the other is done.", FilePath, e)
                    { RecommendedAction = "Wait for the other Export-FitbitData (a scheduled task?) or the offline read to finish, then run it again." };
                case 8: // SQLITE_READONLY
                    return new ExportException(ExportErrorKind.FolderNotWritable,
                        $"The store '{FilePath}' is read-only (the file, its folder or the disk). Make it writable, or export into another folder; nothing was changed.", FilePath, e)
                    { RecommendedAction = $"Check the permissions of '{FilePath}' and its folder (it needs to be writable to export into it)." };
                case 13: // SQLITE_FULL
                    return new ExportException(ExportErrorKind.DiskFull,
                        $"The disk holding '{FilePath}' is full. The write was rolled back: the store holds what it held before. Free some space and run the export again.", FilePath, e)
                    { RecommendedAction = "Free some disk space, then run the export again (it picks up where it stopped)." };
                case 11: // SQLITE_CORRUPT
                case 26: // SQLITE_NOTADB
                    return new ExportException(ExportErrorKind.StoreDamaged,
                        $"'{FilePath}' is not a readable FitbitPS store ({e.Message.TrimEnd('.')}). It was left as it is. Restore it from a backup, or move it away and export again (the next export re-reads everything).", FilePath, e)
                    { RecommendedAction = $"Move '{FilePath}' away (keep it: it may be recoverable with sqlite3 .recover) and run Export-FitbitData again." };
                case 14: // SQLITE_CANTOPEN
                    return new ExportException(ReadOnly ? ExportErrorKind.StoreNotFound : ExportErrorKind.FolderNotWritable,
                        $"Cannot open the store '{FilePath}' ({e.Message.TrimEnd('.')}). Check that it exists and that you may read{(ReadOnly ? "" : " and write")} it and its folder.", FilePath, e);
                case 10: // SQLITE_IOERR
                    return new ExportException(ExportErrorKind.WriteFailed,
                        $"The store '{FilePath}' could not be {(what == "read" ? "read" : "written")} ({e.Message.TrimEnd('.')}). The write was rolled back; run the export again.", FilePath, e);
                default:
                    return new ExportException(ExportErrorKind.WriteFailed,
                        $"The store '{FilePath}' failed to {what} ({e.Message.TrimEnd('.')}). Nothing half-written was kept.", FilePath, e);
            }
        }

        /// <summary>Less than a megabyte free where the store lives (statvfs of the folder; its drive on Windows).</summary>
        private bool AlmostNoSpaceLeft()
        {
            try
            {
                bool windows = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
                return new DriveInfo(windows ? Path.GetPathRoot(Folder) : Folder).AvailableFreeSpace < 1024 * 1024;
            }
            catch (Exception e) when (e is IOException || e is ArgumentException || e is UnauthorizedAccessException)
            {
                return false; // cannot tell: the I/O error stays an I/O error
            }
        }

        internal static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        internal static DateTime ParseDay(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None);

        internal static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        public void Dispose()
        {
            lock (Gate)
            {
                _connection.Dispose();
            }
        }
    }
}
