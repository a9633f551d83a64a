using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>Memory only: nothing touches the disk, everything is gone when the process ends.</summary>
    internal sealed class ProcessBlobStore : IProfileBlobStore
    {
        // Shared by every ProcessBlobStore in the process (one PowerShell process = one cache).
        private static readonly ConcurrentDictionary<string, byte[]> Blobs = new ConcurrentDictionary<string, byte[]>();

        public TokenCacheKind Kind => TokenCacheKind.Process;
        public string Location => "memory (this process)";
        public bool Encrypted => false;

        public byte[] Read(string profile) => Blobs.TryGetValue(profile, out var b) ? (byte[])b.Clone() : null;
        public void Write(string profile, byte[] data) => Blobs[profile] = (byte[])data.Clone();
        public void Delete(string profile) => Blobs.TryRemove(profile, out _);
        public IEnumerable<string> ListProfiles() => Blobs.Keys.OrderBy(k => k).ToList();

        /// <summary>No file: the in-process lock of <see cref="ProfileStore"/> is enough.</summary>
        public string LockPath(string profile) => null;
    }
}
