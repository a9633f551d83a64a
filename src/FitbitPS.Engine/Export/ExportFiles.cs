using System;
using System.IO;
using FitbitPS.Engine.Store;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// The CSV/JSON-lines file of a kind, derived from the store: written whenever the kind's rows changed since the file
    /// was last written (or the file is gone), into a temp file that replaces the old one atomically, so a reader (Excel,
    /// a script) never sees half a file. The store records which data version the file holds only after the rename: a
    /// crash in between writes the same file again on the next run. A file edited by hand is written again: the store is
    /// the truth, the file its copy.
    /// </summary>
    internal static class ExportFiles
    {
        /// <summary>Returns true when the file was (re)written.</summary>
        public static bool WriteIfBehind(FitbitStore store, ExportKind kind, string profile, string path, ExportFormat format, Action<string> beforeReplace)
        {
            var (data, written, stamp) = SyncStates.Versions(store, profile, kind.Name);
            // Current: written from this data, and not edited, replaced or deleted since (its length and time say so).
            if (data == written && stamp != null && stamp == SyncStates.StampOf(path)) return false;
            string folder = Path.GetDirectoryName(path), fileName = Path.GetFileName(path);
            string temp = ExportFolder.NewTempPath(folder, fileName);
            try
            {
                var stream = ExportFolder.CreateTemp(temp);
                try
                {
                    // Its own read connection (WAL: a consistent snapshot), so the other kinds keep writing meanwhile.
                    using (var snapshot = FitbitStore.OpenForRead(store.FilePath))
                    using (var writer = ExportFolder.Writer(stream))
                        snapshot.Run(() => kind.Table.WriteFile(snapshot.Connection, profile, writer, format), "read " + kind.Table.Name);
                    ExportFolder.Commit(stream, temp, path, beforeReplace);
                    temp = null;
                }
                finally
                {
                    stream.Dispose();
                }
            }
            catch (IOException io)
            {
                if (ExportFolder.IsDiskFull(io))
                    throw new ExportException(ExportErrorKind.DiskFull,
                        $"The disk filled up while writing {fileName} in '{folder}'. The store holds everything read; {fileName} was left as it was. Free some space and run the export again.", path, io)
                    { RecommendedAction = "Free some disk space, then run the export again (it writes the file from the store, no new requests)." };
                throw new ExportException(ExportErrorKind.WriteFailed,
                    $"Could not write {fileName} in '{folder}': {io.Message} The store holds everything read; the file was left as it was.", path, io);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ExportException(ExportErrorKind.FolderNotWritable,
                    $"Could not write {fileName} in '{folder}': {e.Message} The store holds everything read; the file was left as it was.", path, e);
            }
            finally
            {
                ExportFolder.TryDelete(temp);
            }
            SyncStates.FileWritten(store, profile, kind.Name, data, SyncStates.StampOf(path));
            return true;
        }
    }
}
