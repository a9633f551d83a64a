using System;
using System.Collections.Generic;
using System.IO;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// Why this exists: list/reconcile return the newest points first and a page token only leads
    /// further into the past, yet records must stream oldest first with memory that does not grow
    /// with the range. Splitting the range into smaller filters would cost extra requests (each
    /// filter's last page is partly empty), so instead every page body is appended to a temporary
    /// file as it arrives and the pages are read back last-to-first, each reversed in memory. Memory
    /// holds one page (≤ 10,000 points) at a time; disk holds the raw JSON of the range (deleted on
    /// dispose). A range that fits in one page never touches the disk.
    /// </summary>
    public sealed class PageSpool : IDisposable
    {
        private readonly List<(long Offset, int Length)> _pages = new List<(long, int)>();
        private byte[] _single;
        private FileStream _file;

        public int Count => _single != null ? 1 : _pages.Count;

        public void Add(byte[] body)
        {
            if (_single == null && _file == null) { _single = body; return; }
            if (_file == null)
            {
                var path = Path.Combine(Path.GetTempPath(), "FitbitPS-" + Guid.NewGuid().ToString("N") + ".pages");
                _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                Append(_single);
                _single = null;
            }
            Append(body);
        }

        private void Append(byte[] body)
        {
            lock (_pages) AppendLocked(body);
        }

        private void AppendLocked(byte[] body)
        {
            _file.Seek(0, SeekOrigin.End);
            _pages.Add((_file.Position, body.Length));
            _file.Write(body, 0, body.Length);
        }

        /// <summary>Page bodies, the last one added first.</summary>
        public IEnumerable<byte[]> NewestLast()
        {
            if (_single != null) { yield return _single; yield break; }
            for (int i = _pages.Count - 1; i >= 0; i--)
            {
                var (offset, length) = _pages[i];
                var buffer = new byte[length];
                // A shared read (Sleep and SleepStage of one export) replays the same spool from two
                // threads at once: seek and read must not interleave.
                lock (_pages)
                {
                    _file.Seek(offset, SeekOrigin.Begin);
                    int read = 0;
                    while (read < length)
                    {
                        var n = _file.Read(buffer, read, length - read);
                        if (n == 0) throw new EndOfStreamException("The page spool file was truncated.");
                        read += n;
                    }
                }
                yield return buffer;
            }
        }

        /// <summary>The most recently added page body (for naming the days of a failure).</summary>
        public byte[] Last()
        {
            if (_single != null) return _single;
            if (_pages.Count == 0) return null;
            using (var e = NewestLast().GetEnumerator()) return e.MoveNext() ? e.Current : null;
        }

        public void Dispose()
        {
            _file?.Dispose();
            _file = null;
            _single = null;
        }
    }
}
