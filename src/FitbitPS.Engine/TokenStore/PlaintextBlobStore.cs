using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>
    /// Unencrypted JSON, only when named (-TokenCache Plaintext). Mode 0600, a distinct file name
    /// ("*.plaintext-tokens.json") so nobody mistakes it for an encrypted cache.
    /// </summary>
    internal sealed class PlaintextBlobStore : IProfileBlobStore
    {
        public const string Suffix = ".plaintext-tokens.json";
        private readonly string _folder;

        public PlaintextBlobStore(string folder) { _folder = folder; }

        public TokenCacheKind Kind => TokenCacheKind.Plaintext;
        public string Location => _folder;
        public bool Encrypted => false;

        private string PathOf(string profile) => Path.Combine(_folder, profile + Suffix);
        public byte[] Read(string profile) => AtomicFile.ReadOrNull(PathOf(profile));
        public void Write(string profile, byte[] data) { CacheFolder.Ensure(_folder); AtomicFile.Write(PathOf(profile), data); AtomicFile.CleanStaleTemps(_folder); }
        public void Delete(string profile) { var p = PathOf(profile); if (File.Exists(p)) File.Delete(p); }
        public IEnumerable<string> ListProfiles() => ListBySuffix(_folder, Suffix);
        public string LockPath(string profile) => Path.Combine(_folder, profile + ".lock");

        internal static IEnumerable<string> ListBySuffix(string folder, string suffix)
        {
            if (!Directory.Exists(folder)) return Enumerable.Empty<string>();
            return Directory.EnumerateFiles(folder, "*" + suffix)
                .Select(Path.GetFileName)
                .Where(n => !n.StartsWith(".", System.StringComparison.Ordinal))
                .Select(n => n.Substring(0, n.Length - suffix.Length))
                .OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
    }
}
