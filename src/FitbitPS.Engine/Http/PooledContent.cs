using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// A response body read whole into a buffer rented from <see cref="PageSpool.BufferPool"/>. The client parses it
    /// in place (no copy); disposing the response gives back what was held while the caller read it (the throttle's
    /// slot, see <see cref="HoldUntilDisposed"/>) and then the buffer.
    /// </summary>
    internal sealed class PooledContent : HttpContent
    {
        private byte[] _buffer;
        private IDisposable _held;

        public PooledContent(byte[] buffer, int length)
        {
            _buffer = buffer;
            Length = length;
        }

        /// <summary>The rented buffer; the body is its first <see cref="Length"/> bytes.</summary>
        public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledContent));

        public int Length { get; }

        /// <summary>Keeps <paramref name="held"/> until the response is disposed.</summary>
        public void HoldUntilDisposed(IDisposable held) => _held = held;

        /// <summary>A copy of the body (for an error, which outlives the response).</summary>
        public byte[] ToArray()
        {
            var copy = new byte[Length];
            System.Buffer.BlockCopy(Buffer, 0, copy, 0, Length);
            return copy;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext context) => stream.WriteAsync(Buffer, 0, Length);

        protected override bool TryComputeLength(out long length)
        {
            length = Length;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.Exchange(ref _held, null)?.Dispose();
                var buffer = Interlocked.Exchange(ref _buffer, null);
                if (buffer != null) PageSpool.BufferPool.Return(buffer);
            }
            base.Dispose(disposing);
        }
    }
}
