using System;
using System.Buffers;
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
    /// dispose; private to the user, see <see cref="SpoolFolder"/>). A range that fits in one page never touches the disk.
    /// Pages are copied in from the caller's (pooled) buffer and read back into a buffer rented from
    /// <see cref="ArrayPool{T}.Shared"/>: a 3.5 MB page would otherwise be a fresh large-object array
    /// each time, which only a full collection reclaims, so the working set would grow with the range.
    /// </summary>
    internal sealed class PageSpool : IDisposable
    {
        /// <summary>
        /// The buffers of response bodies and spooled pages. Why not ArrayPool.Shared: it keeps up to
        /// eight arrays per size per core plus one per thread, so a few 4 MB page buffers would stay alive
        /// on every thread that ever touched one; this pool keeps at most two per size (one page being
        /// received, one being replayed) and simply allocates beyond that.
        /// </summary>
        public static ArrayPool<byte> BufferPool { get; } = ArrayPool<byte>.Create(maxArrayLength: 32 * 1024 * 1024, maxArraysPerBucket: 2);

        private readonly List<(long Offset, int Length)> _pages = new List<(long, int)>();
        private byte[] _single;      // the only page so far, rented
        private int _singleLength;
        private FileStream _file;

        public int Count => _single != null ? 1 : _pages.Count;

        /// <summary>Adds a page (its bytes are copied; the caller keeps <paramref name="body"/>).</summary>
        public void Add(byte[] body) => Add(body, body.Length);

        /// <summary>Adds the first <paramref name="length"/> bytes of <paramref name="buffer"/> as a page (copied).</summary>
        public void Add(byte[] buffer, int length)
        {
            if (length < 0 || length > buffer.Length) throw new ArgumentOutOfRangeException(nameof(length));
            lock (_pages)
            {
                if (_single == null && _file == null)
                {
                    _single = BufferPool.Rent(Math.Max(1, length));
                    Buffer.BlockCopy(buffer, 0, _single, 0, length);
                    _singleLength = length;
                    return;
                }
                if (_file == null)
                {
                    // In this process's private folder (0700), readable by the owner only (0600) before any byte is written.
                    var path = Path.Combine(SpoolFolder.Current, Guid.NewGuid().ToString("N") + ".pages");
                    _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                    TokenStore.UnixFile.TryChmod(path, TokenStore.UnixFile.UserReadWrite);
                    Append(_single, _singleLength);
                    BufferPool.Return(_single);
                    _single = null;
                }
                Append(buffer, length);
            }
        }

        private void Append(byte[] body, int length)
        {
            _file.Seek(0, SeekOrigin.End);
            _pages.Add((_file.Position, length));
            _file.Write(body, 0, length);
        }

        /// <summary>Page bodies, the last one added first. Each segment is valid until the next one is
        /// asked for (one rented buffer per enumeration, returned when it ends).</summary>
        public IEnumerable<ArraySegment<byte>> NewestLast()
        {
            if (_single != null) { yield return new ArraySegment<byte>(_single, 0, _singleLength); yield break; }
            byte[] buffer = null;
            try
            {
                for (int i = _pages.Count - 1; i >= 0; i--)
                {
                    var (offset, length) = _pages[i];
                    if (buffer == null || buffer.Length < length)
                    {
                        if (buffer != null) BufferPool.Return(buffer);
                        buffer = null;
                        buffer = BufferPool.Rent(Math.Max(1, length));
                    }
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
                    yield return new ArraySegment<byte>(buffer, 0, length);
                }
            }
            finally
            {
                if (buffer != null) BufferPool.Return(buffer);
            }
        }

        /// <summary>A copy of the most recently added page body (for naming the days of a failure).</summary>
        public byte[] Last() => Count == 0 ? null : Page(Count - 1);

        /// <summary>A copy of the page added <paramref name="index"/>-th (0: the first).</summary>
        public byte[] Page(int index)
        {
            if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index));
            lock (_pages)
            {
                if (_single != null)
                {
                    var one = new byte[_singleLength];
                    Buffer.BlockCopy(_single, 0, one, 0, _singleLength);
                    return one;
                }
                var (offset, length) = _pages[index];
                var copy = new byte[length];
                _file.Seek(offset, SeekOrigin.Begin);
                int read = 0;
                while (read < length)
                {
                    var n = _file.Read(copy, read, length - read);
                    if (n == 0) throw new EndOfStreamException("The page spool file was truncated.");
                    read += n;
                }
                return copy;
            }
        }

        public void Dispose()
        {
            lock (_pages)
            {
                _file?.Dispose();
                _file = null;
                if (_single != null) BufferPool.Return(_single);
                _single = null;
            }
        }
    }
}
