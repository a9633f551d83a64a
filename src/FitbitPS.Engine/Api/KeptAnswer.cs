using System;
using System.Threading;
using System.Threading.Tasks;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// An answer of Google that does not change while a profile is signed in (the person's settings and time zone, the
    /// account's start), asked once and kept by the profile's FitbitConnection. A failed or cancelled ask is not kept,
    /// so the next command asks again.
    /// </summary>
    internal sealed class KeptAnswer<T>
    {
        private readonly object _gate = new object();
        private Task<T> _answer;

        public async Task<T> GetAsync(Func<CancellationToken, Task<T>> ask, CancellationToken cancellationToken)
        {
            Task<T> task;
            bool mine;
            lock (_gate)
            {
                mine = _answer == null || _answer.IsFaulted || _answer.IsCanceled;
                if (mine) _answer = ask(cancellationToken);
                task = _answer;
            }
            if (mine) return await task.ConfigureAwait(false);
            try { return await task.ConfigureAwait(false); }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Another command's ask was cut short or failed with that command: this one asks for itself, once.
                lock (_gate)
                {
                    if (ReferenceEquals(_answer, task)) _answer = ask(cancellationToken);
                    task = _answer;
                }
                return await task.ConfigureAwait(false);
            }
        }
    }
}
