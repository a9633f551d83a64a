using System;
using System.IO;
using System.Runtime.InteropServices;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// chmod and fsync-able atomic replace. netstandard2.0 has no File.SetUnixFileMode, so chmod is
    /// called from libc directly (the only hand-written platform code here).
    /// </summary>
    internal static class UnixFile
    {
        public const int UserReadWrite = 0x180;       // 0600
        public const int UserOnlyDirectory = 0x1C0;   // 0700

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static void TryChmod(string path, int mode)
        {
            if (!IsUnix) return;
            try { chmod(path, mode); } catch (DllNotFoundException) { } catch (EntryPointNotFoundException) { }
        }
    }

    /// <summary>
    /// Every cache file write goes through here: a temp file next to the target (mode 0600 before any
    /// byte is written), flushed to disk, then renamed over the target. A writer killed at any point
    /// leaves either the old or the new file, never a half-written one.
    /// </summary>
    internal static class AtomicFile
    {
        public static void Write(string path, byte[] data)
        {
            var dir = Path.GetDirectoryName(path);
            var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    UnixFile.TryChmod(temp, UnixFile.UserReadWrite);
                    fs.Write(data, 0, data.Length);
                    fs.Flush(flushToDisk: true);
                }
                if (File.Exists(path))
                    File.Replace(temp, path, destinationBackupFileName: null, ignoreMetadataErrors: true);
                else
                    File.Move(temp, path);
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        public static byte[] ReadOrNull(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
        }

        /// <summary>Removes temp files a killed writer left behind (older than a minute).</summary>
        public static void CleanStaleTemps(string folder)
        {
            try
            {
                foreach (var f in Directory.EnumerateFiles(folder, ".*.tmp"))
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > TimeSpan.FromMinutes(1))
                        File.Delete(f);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
