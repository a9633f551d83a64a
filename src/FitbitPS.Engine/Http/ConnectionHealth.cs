using System;
using System.Diagnostics;
using FitbitPS.Engine.Api;

namespace FitbitPS.Engine.Http
{
    /// <summary>
    /// Failed connections in a row over one client (every request counts, so concurrent reads that all fail
    /// add up): after <see cref="Limit"/> of them with no answer in between, Google is unreachable and every
    /// request of the client fails at once with the same error, instead of each retrying on its own. Any answer
    /// (whatever its status) starts the count again; so does a pause after the last failure longer than two attempts
    /// could take (a failure that took a whole deadline still counts with the one before it).
    /// </summary>
    internal sealed class ConnectionHealth
    {
        private static readonly TimeSpan MinimumForget = TimeSpan.FromSeconds(30);
        private TimeSpan _forget = MinimumForget;
        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _streak;
        private TimeSpan _firstFailure, _lastFailure;
        private Exception _lastError;
        private Uri _api;
        private bool _unreachable;

        public int Limit { get; set; } = 4;

        /// <summary>A response arrived (any status): the connection works.</summary>
        public void Answered()
        {
            lock (_gate) { _streak = 0; _unreachable = false; }
        }

        /// <summary>Counts a failed connection; returns how many failed in a row, or throws when that makes Google unreachable.</summary>
        public int Failed(Exception failure, Uri api, TimeSpan attemptDeadline)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var twoAttempts = TimeSpan.FromTicks(attemptDeadline.Ticks * 2) + TimeSpan.FromSeconds(5);
                _forget = twoAttempts > MinimumForget ? twoAttempts : MinimumForget;
                if (_streak > 0 && now - _lastFailure > _forget) _streak = 0;
                if (_streak == 0) _firstFailure = now;
                _streak++;
                _lastFailure = now;
                _lastError = failure;
                _api = api;
                if (_streak < Limit) return _streak;
                _unreachable = true;
                throw new GoogleUnreachableException(api, _streak, now - _firstFailure, failure);
            }
        }

        /// <summary>Fails a new request at once while Google is known to be unreachable.</summary>
        public void ThrowIfUnreachable()
        {
            lock (_gate)
            {
                if (!_unreachable) return;
                if (_clock.Elapsed - _lastFailure > _forget) { _unreachable = false; _streak = 0; return; }
                throw new GoogleUnreachableException(_api, _streak, _lastFailure - _firstFailure, _lastError);
            }
        }
    }
}
