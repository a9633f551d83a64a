using System;
using System.IO;
using System.Threading;
using FitbitPS.Engine.TokenStore;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Where <see cref="PageSpool"/> keeps raw pages (the person's data and user id): one private folder per process
    /// in the temp folder, made 0700 from its first instant, holding 0600 files. A lock file, held open for the
    /// life of the process, tells a live folder from one whose process died (kill -9 cannot delete anything): the
    /// first spool of the next process removes the dead ones, and loose spool files older versions left.
    /// </summary>
    internal static class SpoolFolder
    {
        public const string Prefix = "FitbitPS-";
        private const string LockName = ".lock";

        private static readonly object s_gate = new object();
        private static Owned s_folder;

        /// <summary>This process's folder (created, and the dead ones swept, on first use; a failure is tried again
        /// next time, not remembered for the life of the session).</summary>
        public static string Current
        {
            get
            {
                lock (s_gate) return (s_folder ?? (s_folder = Create(Path.GetTempPath()))).Path;
            }
        }

        private sealed class Owned
        {
            public string Path;
            public FileStream Lock; // never closed: the OS releases it when the process ends, however it ends
        }

        private static Owned Create(string root)
        {
            SweepDead(root);
            while (true)
            {
                var path = Path.Combine(root, Prefix + Guid.NewGuid().ToString("N").Substring(0, 16));
                if (!UnixFile.CreatePrivateDirectory(path)) continue; // taken: pick another name
                var lockPath = Path.Combine(path, LockName);
                var stream = new FileStream(lockPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                UnixFile.TryChmod(lockPath, UnixFile.UserReadWrite);
                // The owner's process id too: where file locks do nothing (DOTNET_SYSTEM_IO_DISABLEFILELOCKING, some
                // network file systems) a live owner is still recognised.
                var pid = System.Text.Encoding.ASCII.GetBytes(System.Diagnostics.Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                stream.Write(pid, 0, pid.Length);
                stream.Flush();
                var owned = new Owned { Path = path, Lock = stream };
                // A process that ends normally takes its folder with it; one that is killed leaves it to the next sweep.
                AppDomain.CurrentDomain.ProcessExit += (_, __) => Remove(owned);
                return owned;
            }
        }

        private static bool IsRunning(string pidText)
        {
            if (!int.TryParse(pidText.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) return false;
            try
            {
                using (var process = System.Diagnostics.Process.GetProcessById(pid)) return !process.HasExited;
            }
            catch (ArgumentException) { return false; }      // no such process
            catch (InvalidOperationException) { return false; }
        }

        private static void Remove(Owned owned)
        {
            try
            {
                owned.Lock.Dispose();
                Directory.Delete(owned.Path, recursive: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>Removes spool folders whose process is gone (their lock can be taken) and loose "FitbitPS-*.pages"
        /// files nobody holds. Another user's folders cannot be opened and are left alone.</summary>
        internal static void SweepDead(string root)
        {
            try
            {
                foreach (var dir in Directory.EnumerateDirectories(root, Prefix + "*"))
                {
                    try
                    {
                        var lockPath = Path.Combine(dir, LockName);
                        if (File.Exists(lockPath))
                        {
                            string owner;
                            using (var held = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                            using (var text = new StreamReader(held)) owner = text.ReadToEnd();
                            if (owner.Length == 0 && DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) < TimeSpan.FromMinutes(1))
                                continue; // its owner is writing its id right now
                            if (IsRunning(owner)) continue; // the lock was free, but its process lives (locks disabled)
                        }
                        else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < TimeSpan.FromMinutes(1))
                            continue; // being created right now
                        Directory.Delete(dir, recursive: true);
                    }
                    catch (IOException) { /* alive: its process holds the lock */ }
                    catch (UnauthorizedAccessException) { /* another user's */ }
                }
                foreach (var file in Directory.EnumerateFiles(root, Prefix + "*.pages"))
                {
                    try
                    {
                        using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                        File.Delete(file);
                    }
                    catch (IOException) { }
                    catch (UnauthorizedAccessException) { }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
