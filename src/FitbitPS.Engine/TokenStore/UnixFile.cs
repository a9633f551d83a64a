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

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
        private static extern int mkdir(string path, int mode);

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static void TryChmod(string path, int mode)
        {
            if (!IsUnix) return;
            try { chmod(path, mode); } catch (DllNotFoundException) { } catch (EntryPointNotFoundException) { }
        }

        /// <summary>Creates a directory that is private from its first instant (mkdir with mode 0700, so there is no
        /// moment at which it is 0755); its parents are created as usual. False when it already existed.
        /// Windows: an ordinary directory (it inherits the user profile's ACL).</summary>
        public static bool CreatePrivateDirectory(string path)
        {
            if (Directory.Exists(path)) return false;
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(parent)) Directory.CreateDirectory(parent);
            if (IsUnix)
            {
                try
                {
                    if (mkdir(path, UserOnlyDirectory) == 0) return true;
                    if (Directory.Exists(path)) return false; // created by someone else meanwhile (EEXIST)
                    throw new IOException($"Could not create the folder '{path}' (errno {Marshal.GetLastWin32Error()}).");
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
            Directory.CreateDirectory(path);
            TryChmod(path, UserOnlyDirectory);
            return true;
        }

        // netstandard2.0 cannot read a Unix mode; .NET 7+ (PowerShell 7) has File.Get/SetUnixFileMode, found at run time.
        private static readonly System.Reflection.MethodInfo s_getMode =
            typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
        private static readonly System.Reflection.MethodInfo s_setMode =
            s_getMode == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), s_getMode.ReturnType });

        private static readonly System.Reflection.PropertyInfo s_linkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget");

        /// <summary>Whether <paramref name="path"/> is a symbolic link (or a junction). .NET 6+ (PowerShell 7) says so
        /// exactly (FileSystemInfo.LinkTarget). Without it: on Unix every reparse point is a link; on Windows (Windows
        /// PowerShell 5.1) reparse points are also OneDrive's cloud files, so none is taken for a link there.</summary>
        public static bool IsLink(string path)
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes; // -1 when nothing is there
            if (attributes == (FileAttributes)(-1) || (attributes & FileAttributes.ReparsePoint) == 0) return false;
            if (s_linkTarget != null) return s_linkTarget.GetValue(info) != null;
            return IsUnix;
        }

        /// <summary>The file's permission bits, or null where they cannot be read (Windows, .NET Framework).</summary>
        public static int? TryGetMode(string path)
        {
            if (!IsUnix || s_getMode == null) return null;
            try { return Convert.ToInt32(s_getMode.Invoke(null, new object[] { path })); }
            catch (System.Reflection.TargetInvocationException) { return null; }
        }

        /// <summary>Gives <paramref name="path"/> the permission bits <paramref name="mode"/> (where that is possible).</summary>
        public static void TrySetMode(string path, int mode)
        {
            if (!IsUnix) return;
            if (s_setMode != null)
            {
                try { s_setMode.Invoke(null, new object[] { path, Enum.ToObject(s_getMode.ReturnType, mode) }); return; }
                catch (System.Reflection.TargetInvocationException) { }
            }
            TryChmod(path, mode);
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
