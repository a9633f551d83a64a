using System;
using System.Threading;
using System.Threading.Tasks;
using FitbitPS.Engine.Api.Wire;

namespace FitbitPS.Engine.Api
{
    /// <summary>
    /// A person's settings (their time zone), asked of Google once and kept: one per signed-in profile, held by its
    /// FitbitConnection. A failed ask is not kept, so the next read asks again.
    /// </summary>
    public sealed class UserSettingsCache
    {
        private readonly object _gate = new object();
        private Task<Settings> _settings;

        internal async Task<Settings> GetAsync(Func<CancellationToken, Task<Settings>> ask, CancellationToken cancellationToken)
        {
            Task<Settings> task;
            lock (_gate)
            {
                if (_settings == null || _settings.IsFaulted || _settings.IsCanceled) _settings = ask(cancellationToken);
                task = _settings;
            }
            return await task.ConfigureAwait(false);
        }
    }
}
