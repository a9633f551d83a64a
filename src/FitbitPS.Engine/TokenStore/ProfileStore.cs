using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client.Extensions.Msal;
using Newtonsoft.Json;
using FitbitPS.Engine.Core;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// Profiles on top of one <see cref="IProfileBlobStore"/>. Read-modify-write happens under a lock
    /// that holds across processes (MSAL Extensions' <see cref="CrossPlatLock"/> on "profile.lock") and
    /// inside the process (a semaphore, so threads queue instead of spinning on the file). The lock is
    /// re-entrant along one async flow, so a refresh can hold it while Google's flow stores the token.
    /// </summary>
    internal sealed class ProfileStore
    {
        private static readonly ConcurrentDictionary<string, SemaphoreSlim> ProcessLocks = new ConcurrentDictionary<string, SemaphoreSlim>();
        private static readonly AsyncLocal<string> HeldLocks = new AsyncLocal<string>();

        public ProfileStore(IProfileBlobStore blobs)
        {
            Blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        }

        public IProfileBlobStore Blobs { get; }
        public TokenCacheKind Kind => Blobs.Kind;
        public string Location => Blobs.Location;
        public bool Encrypted => Blobs.Encrypted;

        /// <summary>How long a process waits for another to finish with a profile before giving up.</summary>
        public static TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The record, or null when the profile has none in this store.</summary>
        public ProfileRecord Read(string profile)
        {
            profile = CacheFolder.ValidateProfile(profile);
            var bytes = Blobs.Read(profile);
            if (bytes == null || bytes.Length == 0) return null;
            try { return ProfileRecord.FromBytes(bytes); }
            catch (JsonException ex)
            {
                throw new FitbitAuthException(AuthErrorIds.CacheUnreadable, FitbitErrorKind.InvalidData,
                    $"The token cache of profile '{profile}' ({Kind}, {Location}) does not hold a FitbitPS profile ({ex.GetType().Name}). " +
                    $"Remove it with Disconnect-Fitbit -Profile {profile} and sign in again.", ex)
                { Profile = profile, RecommendedAction = $"Disconnect-Fitbit -Profile {profile}; then Connect-Fitbit -Profile {profile}." };
            }
        }

        public void Delete(string profile)
        {
            profile = CacheFolder.ValidateProfile(profile);
            using (Lock(profile)) Blobs.Delete(profile);
        }

        public IEnumerable<string> ListProfiles() => Blobs.ListProfiles();

        /// <summary>Reads, changes and writes the record under the cross-process lock. The change may return null to delete.</summary>
        public ProfileRecord Update(string profile, Func<ProfileRecord, ProfileRecord> change)
        {
            profile = CacheFolder.ValidateProfile(profile);
            using (Lock(profile))
            {
                var updated = change(Read(profile));
                if (updated == null) Blobs.Delete(profile);
                else { updated.Profile = profile; Blobs.Write(profile, updated.ToBytes()); }
                return updated;
            }
        }

        /// <summary>Takes the profile's lock (blocking). Dispose to release.</summary>
        public IDisposable Lock(string profile) => LockAsync(profile, CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>
        /// Takes the profile's lock: in-process semaphore first, then the cross-process file lock.
        /// Deliberately not an async method: the "held on this flow" mark must be set in the caller's
        /// execution context (an async method's AsyncLocal changes do not flow back to its caller), so
        /// that Google's flow storing a token from inside a locked refresh re-enters instead of deadlocking.
        /// </summary>
        public Task<IDisposable> LockAsync(string profile, CancellationToken cancellationToken)
        {
            var lockPath = Blobs.LockPath(profile);
            var key = "|" + (lockPath ?? ("memory:" + profile)) + "|";
            var held = HeldLocks.Value ?? "";
            if (held.Contains(key)) return Task.FromResult<IDisposable>(NoopRelease.Instance);
            HeldLocks.Value = held + key;
            return AcquireAsync(profile, lockPath, key, held, cancellationToken);
        }

        private async Task<IDisposable> AcquireAsync(string profile, string lockPath, string key, string heldBefore, CancellationToken cancellationToken)
        {
            var semaphore = ProcessLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            if (!await semaphore.WaitAsync(LockTimeout, cancellationToken).ConfigureAwait(false))
                throw Busy(profile);
            CrossPlatLock fileLock = null;
            try
            {
                if (lockPath != null)
                {
                    CacheFolder.Ensure(System.IO.Path.GetDirectoryName(lockPath));
                    const int delayMs = 25;
                    var retries = (int)(LockTimeout.TotalMilliseconds / delayMs);
                    // CrossPlatLock spins with Thread.Sleep; keep it off the caller's thread.
                    fileLock = await Task.Run(() => new CrossPlatLock(lockPath, delayMs, retries), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                semaphore.Release();
                throw Busy(profile, ex);
            }
            catch
            {
                semaphore.Release();
                throw;
            }
            // Dispose runs synchronously in the caller's context (using), so restoring the mark there sticks.
            return new Release(() =>
            {
                HeldLocks.Value = heldBefore;
                fileLock?.Dispose();
                semaphore.Release();
            });
        }

        private FitbitAuthException Busy(string profile, Exception inner = null) =>
            new FitbitAuthException(AuthErrorIds.CacheUnreadable, FitbitErrorKind.ResourceBusy,
                $"Another FitbitPS process kept the token cache of profile '{profile}' locked for more than {LockTimeout.TotalSeconds:0} s ({Blobs.LockPath(profile)}).", inner)
            { Profile = profile, RecommendedAction = "Wait for the other FitbitPS command (an export, a sign-in) to finish, or stop it, and run the command again." };

        private sealed class Release : IDisposable
        {
            private Action _release;
            public Release(Action release) { _release = release; }
            public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
        }

        private sealed class NoopRelease : IDisposable
        {
            public static readonly NoopRelease Instance = new NoopRelease();
            public void Dispose() { }
        }
    }
}
