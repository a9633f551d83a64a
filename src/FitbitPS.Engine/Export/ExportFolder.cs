using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.TokenStore;

namespace FitbitPS.Engine.Export
{
    /// <summary>
    /// The file-system side of an export folder: path checks, the one-writer lock, temp files and
    /// atomic replacement. Every file is written to a temp file in the same folder, flushed to disk
    /// and renamed over the old one, so a reader (or a process killed at any instant) only ever
    /// sees the old or the new file, never half of one.
    /// </summary>
    internal static class ExportFolder
    {
        public const string LockFileName = ".fitbitps-export.lock";
        public const string TempPrefix = ".fitbitps-tmp.";

        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Full path of the folder; errors for a path that is a file or not a path at all.
        /// Creates nothing.</summary>
        public static string CheckPath(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new ExportException(ExportErrorKind.InvalidPath, "Give the folder to export into (-Path).");
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new ExportException(ExportErrorKind.InvalidPath, $"'{path}' is not a valid folder path: {e.Message}", path, e);
            }
            if (File.Exists(full))
                throw new ExportException(ExportErrorKind.InvalidPath,
                    $"'{full}' is a file, not a folder. Export-FitbitData writes one file per kind of record into a folder; give a folder path.", full);
            return full;
        }

        /// <summary>Creates the folder if needed — private (0700): health data is nobody else's — and proves it can be
        /// written (a probe file is created and deleted), before anything else happens. An existing folder keeps
        /// its mode: that is the person's choice.</summary>
        public static void EnsureWritable(string folder)
        {
            try
            {
                UnixFile.CreatePrivateDirectory(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw NotWritable(folder, e);
            }
            string probe = Path.Combine(folder, TempPrefix + "probe." + Guid.NewGuid().ToString("N"));
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                if (e is IOException io && IsDiskFull(io))
                    throw new ExportException(ExportErrorKind.DiskFull, $"The disk holding '{folder}' is full. Free some space and run the export again; nothing was changed.", folder, e);
                throw NotWritable(folder, e);
            }
            finally
            {
                TryDelete(probe);
            }
        }

        private static ExportException NotWritable(string folder, Exception e) =>
            new ExportException(ExportErrorKind.FolderNotWritable,
                $"Cannot write to the folder '{folder}' ({e.Message}). Check that it is not read-only and that you may write to it; nothing was changed.",
                folder, e);

        /// <summary>Removes temp files an interrupted export left behind (only ever called under the lock).</summary>
        public static void DeleteStaleTemps(string folder)
        {
            foreach (var file in Directory.EnumerateFiles(folder, TempPrefix + "*"))
                TryDelete(file);
        }

        public static string NewTempPath(string folder, string fileName) =>
            Path.Combine(folder, TempPrefix + fileName + "." + Guid.NewGuid().ToString("N").Substring(0, 12));

        /// <summary>A new temp file, readable by its owner only (0600) before its first byte is written.</summary>
        public static FileStream CreateTemp(string tempPath)
        {
            var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
            UnixFile.TryChmod(tempPath, UnixFile.UserReadWrite);
            return stream;
        }

        /// <summary>Refuses to run where a file the export writes is a symbolic link: the atomic replace would turn the
        /// link into a plain file (and writing through it would put health data wherever it points).</summary>
        public static void CheckNoLinks(string folder, System.Collections.Generic.IEnumerable<string> fileNames, string command = "Export-FitbitData", string parameter = "-Path")
        {
            foreach (var name in fileNames)
            {
                var info = new FileInfo(Path.Combine(folder, name));
                if (!UnixFile.IsLink(info.FullName)) continue; // a dangling link is a link too; a OneDrive cloud file is not
                throw new ExportException(ExportErrorKind.FileIsLink,
                    $"'{info.FullName}' is a symbolic link. {command} replaces its files whole and does not write through links. " +
                    "Replace the link with the file itself, or write into the folder the link points to. Nothing was changed.", info.FullName)
                { RecommendedAction = $"Remove the link '{info.FullName}' (or move the real file there), or use {parameter} with the folder it points to." };
            }
        }

        public static StreamWriter Writer(Stream stream) => new StreamWriter(stream, s_utf8, 64 * 1024, leaveOpen: true);

        /// <summary>Flushes the temp file to disk, then renames it over <paramref name="finalPath"/>.</summary>
        public static void Commit(FileStream temp, string tempPath, string finalPath, Action<string> beforeReplace)
        {
            temp.Flush(flushToDisk: true);
            temp.Dispose();
            beforeReplace?.Invoke(finalPath);
            if (File.Exists(finalPath))
            {
                // The rename gives the file the temp's mode: keep the one the file had (a person's 0600 or 0640 stays).
                var mode = UnixFile.TryGetMode(finalPath);
                if (mode.HasValue) UnixFile.TrySetMode(tempPath, mode.Value);
                File.Replace(tempPath, finalPath, destinationBackupFileName: null, ignoreMetadataErrors: true);
            }
            else File.Move(tempPath, finalPath);
        }

        /// <summary>Writes a whole small file (the state file) atomically.</summary>
        public static void WriteAllText(string folder, string fileName, string text, Action<string> beforeReplace)
        {
            string temp = NewTempPath(folder, fileName);
            try
            {
                var stream = CreateTemp(temp);
                try
                {
                    var bytes = s_utf8.GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                    Commit(stream, temp, Path.Combine(folder, fileName), beforeReplace);
                }
                finally
                {
                    stream.Dispose();
                }
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        public static void TryDelete(string path)
        {
            try { if (path != null) File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>ENOSPC (Unix errno 28) or ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL (Windows).</summary>
        public static bool IsDiskFull(IOException e)
        {
            int code = e.HResult & 0xFFFF;
            return e.HResult == 28 || code == 112 || code == 39
                || e.Message.IndexOf("No space left", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }

    /// <summary>
    /// One writer per folder: an exclusive lock on <see cref="ExportFolder.LockFileName"/>, held for
    /// the whole export. Exclusive FileStream sharing (FileShare.None) is a real share lock on
    /// Windows and an flock(2) on Linux/macOS, released by the OS when the process dies (kill -9
    /// included). The lock file stays in the folder: deleting it on release would let a waiter lock
    /// the unlinked file while a third process creates a new one (two writers).
    /// </summary>
    internal sealed class FolderLock : IDisposable
    {
        private readonly FileStream _stream;

        private FolderLock(FileStream stream) { _stream = stream; }

        public static async Task<FolderLock> AcquireAsync(string folder, TimeSpan timeout, Action<string> waiting, CancellationToken cancellationToken)
        {
            string path = Path.Combine(folder, ExportFolder.LockFileName);
            var clock = Stopwatch.StartNew();
            bool told = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    ExportFolder.CheckNoLinks(folder, new[] { ExportFolder.LockFileName });
                    bool created = !File.Exists(path);
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    if (created) UnixFile.TryChmod(path, UnixFile.UserReadWrite);
                    return new FolderLock(stream);
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new ExportException(ExportErrorKind.FolderNotWritable,
                        $"Cannot create the lock file '{path}' ({e.Message}). Check the folder's permissions; nothing was changed.", path, e);
                }
                catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
                {
                    if (clock.Elapsed >= timeout)
                        throw new ExportException(ExportErrorKind.FolderBusy,
                            $"Another export is writing to '{folder}' (it holds '{ExportFolder.LockFileName}') and did not finish within {timeout.TotalSeconds:0} s. " +
                            "Run this export again when it is done; two exports never write one folder at the same time.", folder, e);
                    if (!told) { waiting?.Invoke($"Another export is writing to '{folder}'; waiting up to {timeout.TotalSeconds:0} s for it to finish."); told = true; }
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
