using System.Collections.Generic;
using System.Linq;

namespace FitbitPS.Engine.TokenStore
{
    /// <summary>Creates the store for a cache kind and finds which kind holds an existing profile.</summary>
    internal static class TokenStores
    {
        public static IProfileBlobStore Create(TokenCacheKind kind, string folder = null, string passphrase = null)
        {
            folder = CacheFolder.Resolve(folder);
            switch (kind)
            {
                case TokenCacheKind.Passphrase: return new PassphraseBlobStore(folder, passphrase);
                case TokenCacheKind.Process: return new ProcessBlobStore();
                case TokenCacheKind.Plaintext: return new PlaintextBlobStore(folder);
                default: return new ProtectedBlobStore(folder);
            }
        }

        /// <summary>
        /// The kind an existing profile lives in, judged by files only (no keyring access, no passphrase
        /// needed): memory first, then the protected marker, the passphrase file, the plaintext file.
        /// </summary>
        public static TokenCacheKind? FindKind(string profile, string folder = null)
        {
            folder = CacheFolder.Resolve(folder);
            if (new ProcessBlobStore().ListProfiles().Contains(profile)) return TokenCacheKind.Process;
            if (PlaintextBlobStore.ListBySuffix(folder, ProtectedBlobStore.MarkerSuffix).Contains(profile)) return TokenCacheKind.Protected;
            if (PlaintextBlobStore.ListBySuffix(folder, PassphraseBlobStore.Suffix).Contains(profile)) return TokenCacheKind.Passphrase;
            if (PlaintextBlobStore.ListBySuffix(folder, PlaintextBlobStore.Suffix).Contains(profile)) return TokenCacheKind.Plaintext;
            return null;
        }

        /// <summary>Every profile in every kind of store, without opening any of them.</summary>
        public static IReadOnlyList<KeyValuePair<string, TokenCacheKind>> ListAll(string folder = null)
        {
            folder = CacheFolder.Resolve(folder);
            var all = new List<KeyValuePair<string, TokenCacheKind>>();
            all.AddRange(new ProcessBlobStore().ListProfiles().Select(p => new KeyValuePair<string, TokenCacheKind>(p, TokenCacheKind.Process)));
            all.AddRange(PlaintextBlobStore.ListBySuffix(folder, ProtectedBlobStore.MarkerSuffix).Select(p => new KeyValuePair<string, TokenCacheKind>(p, TokenCacheKind.Protected)));
            all.AddRange(PlaintextBlobStore.ListBySuffix(folder, PassphraseBlobStore.Suffix).Select(p => new KeyValuePair<string, TokenCacheKind>(p, TokenCacheKind.Passphrase)));
            all.AddRange(PlaintextBlobStore.ListBySuffix(folder, PlaintextBlobStore.Suffix).Select(p => new KeyValuePair<string, TokenCacheKind>(p, TokenCacheKind.Plaintext)));
            return all;
        }
    }
}
