using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.Takeout
{
    /// <summary>One file of an archive: its path inside the archive (forward slashes), its size, and how to open it.</summary>
    internal sealed class TakeoutEntry
    {
        public string Archive { get; set; }
        public string Path { get; set; }
        public long Length { get; set; }
        public Func<Stream> Open { get; set; }

        /// <summary>The file name without folders.</summary>
        public string Name => Path.Substring(Path.LastIndexOf('/') + 1);

        /// <summary>What a warning calls the file: the part's name and the path inside it.</summary>
        public override string ToString() => Archive == null ? Path : Archive + ":" + Path;
    }

    /// <summary>
    /// The files of a Takeout download read where they are: zip files (one, or every part of a multi-part download
    /// …-001.zip, …-002.zip, each a complete zip) through <see cref="ZipArchive"/>, one entry streamed at a time and never
    /// extracted to disk; or a folder it was extracted to. Entries open lazily, so a 1.4 GB archive is never in memory.
    /// </summary>
    internal sealed class TakeoutArchive : IDisposable
    {
        private readonly List<IDisposable> _open = new List<IDisposable>();

        private TakeoutArchive(List<TakeoutEntry> entries)
        {
            Entries = entries;
        }

        public IReadOnlyList<TakeoutEntry> Entries { get; }

        public long TotalBytes => Entries.Sum(e => e.Length);

        /// <summary>Opens every path (zip files or folders); a zip's sibling parts (…-001.zip → …-002.zip, …) come with it.</summary>
        public static TakeoutArchive Open(IEnumerable<string> paths)
        {
            var files = new List<string>();
            foreach (var path in paths)
            {
                if (string.IsNullOrWhiteSpace(path)) continue;
                var full = System.IO.Path.GetFullPath(path);
                if (Directory.Exists(full)) { files.Add(full); continue; }
                if (!File.Exists(full))
                    throw new TakeoutException(TakeoutException.NotFound, FitbitErrorKind.NotFound,
                        $"There is no file or folder '{full}'. Give the Takeout zip (every part of a multi-part download), or the folder it was extracted to.", full,
                        "Check the path; a multi-part download is named takeout-…-001.zip, takeout-…-002.zip.");
                files.Add(full);
                foreach (var sibling in Siblings(full)) files.Add(sibling);
            }
            var archive = new TakeoutArchive(new List<TakeoutEntry>());
            var entries = (List<TakeoutEntry>)archive.Entries;
            try
            {
                foreach (var file in files.Distinct(StringComparer.Ordinal))
                {
                    if (Directory.Exists(file))
                    {
                        foreach (var f in Directory.EnumerateFiles(file, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                        {
                            var local = f;
                            entries.Add(new TakeoutEntry
                            {
                                Path = f.Substring(file.Length).Replace('\\', '/').TrimStart('/'),
                                Length = new FileInfo(f).Length,
                                Open = () => new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan),
                            });
                        }
                        continue;
                    }
                    ZipArchive zip;
                    try
                    {
                        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
                        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false); }
                        catch { stream.Dispose(); throw; }
                    }
                    catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
                    {
                        throw new TakeoutException(TakeoutException.Unreadable, FitbitErrorKind.InvalidData,
                            $"'{file}' cannot be read as a zip archive ({e.Message.TrimEnd('.')}). Download it again, or extract it and give the folder.", file,
                            "Download the Takeout part again (a download cut short is the usual cause), or give the folder it was extracted to.", e);
                    }
                    archive._open.Add(zip);
                    string name = System.IO.Path.GetFileName(file);
                    foreach (var e in zip.Entries)
                    {
                        if (e.FullName.EndsWith("/", StringComparison.Ordinal)) continue; // a folder
                        var entry = e;
                        entries.Add(new TakeoutEntry { Archive = name, Path = e.FullName.Replace('\\', '/'), Length = e.Length, Open = () => entry.Open() });
                    }
                }
                return archive;
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }

        /// <summary>takeout-X-001.zip → the other parts takeout-X-002.zip, … that sit beside it.</summary>
        private static IEnumerable<string> Siblings(string file)
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(file);
            var dash = name.LastIndexOf('-');
            if (dash < 0 || !System.IO.Path.GetExtension(file).Equals(".zip", StringComparison.OrdinalIgnoreCase)) yield break;
            var number = name.Substring(dash + 1);
            if (number.Length == 0 || !number.All(char.IsDigit)) yield break;
            var folder = System.IO.Path.GetDirectoryName(file);
            foreach (var other in Directory.EnumerateFiles(folder, name.Substring(0, dash + 1) + "*.zip").OrderBy(f => f, StringComparer.Ordinal))
            {
                var tail = System.IO.Path.GetFileNameWithoutExtension(other).Substring(dash + 1);
                if (tail.Length == number.Length && tail.All(char.IsDigit)) yield return other;
            }
        }

        public void Dispose()
        {
            foreach (var d in _open) d.Dispose();
            _open.Clear();
        }
    }
}
