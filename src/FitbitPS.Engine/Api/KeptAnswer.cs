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
            lock (_gate)
            {
                if (_answer == null || _answer.IsFaulted || _answer.IsCanceled) _answer = ask(cancellationToken);
                task = _answer;
            }
            return await task.ConfigureAwait(false);
        }
    }
}
